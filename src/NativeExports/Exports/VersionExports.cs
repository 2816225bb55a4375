using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SessionInterop.NativeExports.Abi;

namespace SessionInterop.NativeExports.Exports;

/// <summary>Versioning: which ABI this library implements, and its human-readable version.</summary>
[CSection(10, "Versioning")]
internal static unsafe class VersionExports
{
    /// <summary>
    /// The ABI major version of the loaded library (SESSION_ABI_MAJOR when it was built). It changes
    /// only together with the SONAME (libsession.so.1). Never fails.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_abi_major", CallConvs = [typeof(CallConvCdecl)])]
    internal static uint AbiMajor()
    {
        try { return LibraryInfo.AbiMajor; }
        catch (Exception e) { LastError.Set(e); return 0; }
    }

    /// <summary>
    /// The ABI minor version of the loaded library; bumped when functions, struct fields or event
    /// types are added. Never fails.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_abi_minor", CallConvs = [typeof(CallConvCdecl)])]
    internal static uint AbiMinor()
    {
        try { return LibraryInfo.AbiMinor; }
        catch (Exception e) { LastError.Set(e); return 0; }
    }

    /// <summary>
    /// Returns 1 if the loaded library can serve a caller compiled against ABI (major, minor), else 0.
    /// Call it once at start-up with SESSION_ABI_MAJOR, SESSION_ABI_MINOR.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_abi_compatible", CallConvs = [typeof(CallConvCdecl)])]
    internal static int AbiCompatible(uint major, uint minor)
    {
        try { return major == LibraryInfo.AbiMajor && minor <= LibraryInfo.AbiMinor ? 1 : 0; }
        catch (Exception e) { LastError.Set(e); return 0; }
    }

    /// <summary>
    /// A static, never-freed, NUL-terminated string such as "0.1.0 (abi 1.0, net10.0 nativeaot linux-x64)".
    /// Never NULL.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_version_string", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("const char*")]
    internal static byte* VersionString()
    {
        try { return NativeStrings.Intern(LibraryInfo.VersionString); }
        catch (Exception e) { LastError.Set(e); return NativeStrings.Intern(""); }
    }
}
