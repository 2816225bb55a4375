using System.Runtime.InteropServices;
using SessionInterop.Interop;

namespace SessionInterop.NativeExports.Abi;

/// <summary>Buffers the library allocates for the caller, released with session_free(_secret).</summary>
internal static unsafe class NativeBuffers
{
    /// <summary>Copies bytes into a new native buffer the caller frees with session_free.</summary>
    internal static byte* Copy(ReadOnlySpan<byte> bytes)
    {
        byte* p = (byte*)NativeMemory.Alloc((nuint)Math.Max(bytes.Length, 1));
        bytes.CopyTo(new Span<byte>(p, bytes.Length));
        return p;
    }

    internal static void Free(void* p, nuint zeroLength)
    {
        if (p == null) return;
        if (zeroLength > 0) LibSodium.sodium_memzero((byte*)p, zeroLength);
        NativeMemory.Free(p);
    }
}
