namespace SessionInterop.LocalNet.Storage;

// Namespace properties of §4.3 (SS namespace.h).
internal static class Namespaces
{
    internal const int LegacyClosed = -10;

    internal static bool IsPublicInbox(int ns) => ns % 10 == 0;
    internal static bool IsPublicOutbox(int ns) => ns < 0 && (-ns) % 20 == 1;
    internal static bool IsUnrevocable(int ns) => ns < 0 && (-ns) % 100 == 11;
    internal static bool RetrieveNeedsNoAuth(int ns) => ns == LegacyClosed || IsPublicOutbox(ns);

    /// <summary>Namespace text inside signed strings: empty for 0.</summary>
    internal static string SigText(int? ns) => ns switch
    {
        null => "all",
        0 => "",
        int n => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
