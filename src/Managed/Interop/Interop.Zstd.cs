using System.Runtime.InteropServices;

namespace SessionInterop.Interop;

/// <summary>
/// The few zstd calls groups v2 needs (§9.2), bound to the system libzstd (Debian's libzstd1 is in
/// the base image). Resolved lazily on first use; callers turn a missing library into an
/// "unsupported" error, and the encoder simply sends uncompressed then.
/// </summary>
internal static unsafe partial class LibZstd
{
    private const string Lib = "libzstd.so.1";

    [LibraryImport(Lib)] internal static partial nuint ZSTD_compressBound(nuint srcSize);
    [LibraryImport(Lib)] internal static partial nuint ZSTD_compress(byte* dst, nuint dstCapacity, byte* src, nuint srcSize, int compressionLevel);
    [LibraryImport(Lib)] internal static partial uint ZSTD_isError(nuint code);
    [LibraryImport(Lib)] internal static partial ulong ZSTD_getFrameContentSize(byte* src, nuint srcSize);
    [LibraryImport(Lib)] internal static partial nuint ZSTD_decompress(byte* dst, nuint dstCapacity, byte* src, nuint compressedSize);
}
