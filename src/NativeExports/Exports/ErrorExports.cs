using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SessionInterop.NativeExports.Abi;

namespace SessionInterop.NativeExports.Exports;

/// <summary>Status names and the thread-local detail of the last failure.</summary>
[CSection(20, "Status codes and errors")]
internal static unsafe class ErrorExports
{
    /// <summary>
    /// The constant's name for a status code, e.g. "SESSION_E_TIMEOUT"; "SESSION_E_UNKNOWN" for a
    /// value this library does not know. Static string, never NULL, never freed.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_status_name", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("const char*")]
    internal static byte* StatusName([CType("session_status")] int status)
    {
        try { return NativeStrings.Intern(StatusNames.Of(status)); }
        catch (Exception e) { LastError.Set(e); return NativeStrings.Intern("SESSION_E_UNKNOWN"); }
    }

    /// <summary>
    /// Human-readable detail of the most recent failing call on this thread ("" if none). Never
    /// NULL; valid until the next failing session_* call on this thread: copy it if you keep it.
    /// It never contains secrets, message text or full Session IDs.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_last_error_message", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("const char*")]
    internal static byte* LastErrorMessage()
    {
        try { return LastError.Message; }
        catch { return NativeStrings.Intern(""); }
    }

    /// <summary>
    /// Stable dotted code of the most recent failing call on this thread, e.g. "id.bad_prefix"
    /// ("" if none). An open set: new codes may appear in minor releases, so fall back to the status.
    /// Never NULL; valid until the next failing session_* call on this thread.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_last_error_code", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("const char*")]
    internal static byte* LastErrorCode()
    {
        try { return LastError.Code; }
        catch { return NativeStrings.Intern(""); }
    }
}
