namespace SessionInterop.NativeExports;

/// <summary>
/// Overrides the C type HeaderGen writes for a parameter, return value or field, where the managed
/// type alone is ambiguous (byte* as "const char*", nint as "session_client*", a function pointer as
/// a named callback typedef). For a callback, <see cref="Params"/> gives the typedef's parameter list;
/// HeaderGen checks its count against the function pointer's signature.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.ReturnValue | AttributeTargets.Field)]
internal sealed class CTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
    public string? Params { get; set; }
}

/// <summary>Groups a class's exports under a titled section of the header, in ascending order.</summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class CSectionAttribute(int order, string title) : Attribute
{
    public int Order { get; } = order;
    public string Title { get; } = title;
}

/// <summary>Marks a sequential struct that HeaderGen writes as a C typedef struct with the given name.</summary>
[AttributeUsage(AttributeTargets.Struct)]
internal sealed class CStructAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
