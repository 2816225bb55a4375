using System.Text;

namespace SessionInterop.NativeExports.Abi;

/// <summary>Maps status values to their C constant names, the same names HeaderGen writes.</summary>
internal static class StatusNames
{
    internal static string Of(int status) =>
        Enum.IsDefined((SessionStatus)status) ? "SESSION_" + UpperSnake(((SessionStatus)status).ToString()) : "SESSION_E_UNKNOWN";

    /// <summary>"EInvalidArgument" → "E_INVALID_ARGUMENT"; "Ok" → "OK" (HeaderGen's rule).</summary>
    internal static string UpperSnake(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (int i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i])) sb.Append('_');
            sb.Append(char.ToUpperInvariant(name[i]));
        }
        return sb.ToString();
    }
}
