namespace SessionInterop;

/// <summary>
/// Marks an enum that tools/HeaderGen writes into include/session.h as an int32_t typedef plus
/// constants named Prefix + UPPER_SNAKE(member), with a FORCE32 sentinel.
/// </summary>
[AttributeUsage(AttributeTargets.Enum)]
internal sealed class CEnumAttribute(string typeName, string prefix) : Attribute
{
    /// <summary>The C typedef name, e.g. "session_status".</summary>
    public string TypeName { get; } = typeName;
    /// <summary>The constant prefix, e.g. "SESSION_".</summary>
    public string Prefix { get; } = prefix;
}
