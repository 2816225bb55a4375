using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SessionInterop.NativeExports.Abi;

namespace SessionInterop.NativeExports.Exports;

/// <summary>Releasing memory the library handed over. Never use C free() on it.</summary>
[CSection(30, "Memory")]
internal static unsafe class MemoryExports
{
    /// <summary>
    /// Frees a buffer documented as "free with session_free". NULL is a no-op. Passing anything else
    /// (a stack pointer, a pointer from malloc, a pointer freed before) is undefined behaviour.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_free", CallConvs = [typeof(CallConvCdecl)])]
    internal static void Free(void* p)
    {
        try { NativeBuffers.Free(p, 0); }
        catch (Exception e) { LastError.Set(e); }
    }

    /// <summary>
    /// Like session_free, but first overwrites len bytes with zeros (for secrets: recovery phrases,
    /// seeds, exported state). NULL is a no-op.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_free_secret", CallConvs = [typeof(CallConvCdecl)])]
    internal static void FreeSecret(void* p, nuint len)
    {
        try { NativeBuffers.Free(p, len); }
        catch (Exception e) { LastError.Set(e); }
    }
}
