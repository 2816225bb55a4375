using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SessionInterop.NativeExports;

/// <summary>
/// Makes the native libraries we ship (libsodium.so, libe_sqlite3.so) load from libsession.so's
/// private directory `sessioninterop/` beside it (the `make install` layout, so a system-wide libdir
/// never gets a second libsodium.so), else from its own directory (dist/, the Python package). NativeAOT probes the host executable's directory first (python3's, the game's),
/// which would find nothing or a wrong libsodium version; Sodium.Core refuses anything but 1.0.22.
/// Under the JIT (unit tests) default probing already finds the copies in bin/.
/// </summary>
internal static unsafe partial class NativeLibraryLoader
{
    private static string? s_directory;

    /// <summary>Where `make install` puts libsodium.so and libe_sqlite3.so, relative to libsession.so.</summary>
    private const string PrivateSubdirectory = "sessioninterop";

#pragma warning disable CA2255 // A module initializer is the only hook that runs before the first P/Invoke.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register()
    {
        if (RuntimeFeature.IsDynamicCodeSupported) return; // JIT: leave default probing alone.
        s_directory = FindOwnDirectory();
        if (s_directory is null) return;
        // libe_sqlite3.so uses libm without naming it (no DT_NEEDED): a host that loads us with
        // RTLD_LOCAL and does not link libm itself would fail to resolve it. Make libm global.
        fixed (byte* libm = "libm.so.6\0"u8) dlopen(libm, RTLD_NOW | RTLD_GLOBAL);
        Assembly[] users =
        [
            typeof(Sodium.PublicKeyAuth).Assembly, typeof(SessionStatus).Assembly, typeof(NativeLibraryLoader).Assembly,
            typeof(SQLitePCL.SQLite3Provider_e_sqlite3).Assembly,
        ];
        foreach (Assembly assembly in users.Distinct())
        {
            NativeLibrary.SetDllImportResolver(assembly, Resolve);
        }
    }

    /// <summary>The directory libsession.so was loaded from, or null when unknown.</summary>
    internal static string? Directory => s_directory;

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (s_directory is null) return 0;
        foreach (string directory in new[] { Path.Combine(s_directory, PrivateSubdirectory), s_directory })
        {
            foreach (string candidate in new[] { name + ".so", "lib" + name + ".so", name })
            {
                string path = Path.Combine(directory, candidate);
                if (File.Exists(path) && NativeLibrary.TryLoad(path, out nint handle)) return handle;
            }
        }
        return 0; // fall back to default probing
    }

    private static string? FindOwnDirectory()
    {
        delegate* unmanaged[Cdecl]<uint> anyExport = &Exports.VersionExports.AbiMajor;
        DlInfo info;
        if (dladdr(anyExport, &info) == 0 || info.dli_fname == null) return null;
        string? file = Marshal.PtrToStringUTF8((nint)info.dli_fname);
        return file is null ? null : Path.GetDirectoryName(Path.GetFullPath(file));
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct DlInfo
    {
        public byte* dli_fname;
        public void* dli_fbase;
        public byte* dli_sname;
        public void* dli_saddr;
    }

    [LibraryImport("libc", EntryPoint = "dladdr")]
    private static partial int dladdr(void* address, DlInfo* info);

    private const int RTLD_NOW = 0x2, RTLD_GLOBAL = 0x100;

    [LibraryImport("libc", EntryPoint = "dlopen")]
    private static partial void* dlopen(byte* file, int mode);
}
