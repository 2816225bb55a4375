using System.Reflection;

namespace SessionInterop;

/// <summary>Version facts shared by the C ABI, the CLI and LocalNet.</summary>
internal static class LibraryInfo
{
    /// <summary>Changes only together with the SONAME (libsession.so.1).</summary>
    public const uint AbiMajor = 1;

    /// <summary>Bumped whenever functions, struct fields or event types are added.</summary>
    public const uint AbiMinor = 0;

    /// <summary>Human-readable version, e.g. "0.1.0 (abi 1.0, net10.0 nativeaot linux-x64)".</summary>
    public static string VersionString { get; } = Build();

    private static string Build()
    {
        string informational = typeof(LibraryInfo).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        string runtime = System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported ? "jit" : "nativeaot";
        return $"{informational} (abi {AbiMajor}.{AbiMinor}, net{Environment.Version.Major}.{Environment.Version.Minor} {runtime} {System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier})";
    }
}
