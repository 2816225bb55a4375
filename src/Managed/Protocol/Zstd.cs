using SessionInterop.Interop;

namespace SessionInterop.Protocol;

/// <summary>One-shot zstd over the system libzstd, with a decompression limit (groups v2: 1 MB; configs: 5 MB).</summary>
internal static unsafe class Zstd
{
    public const int MaxDecompressedBytes = 1_000_000;
    private const ulong ContentSizeError = ulong.MaxValue - 1;

    /// <summary>Compression (level 1 unless told); null when libzstd is unavailable (the caller then sends uncompressed).</summary>
    public static byte[]? TryCompress(ReadOnlySpan<byte> data, int level = 1)
    {
        try
        {
            nuint bound = LibZstd.ZSTD_compressBound((nuint)data.Length);
            var output = new byte[(int)bound];
            nuint written;
            fixed (byte* src = data, dst = output)
                written = LibZstd.ZSTD_compress(dst, bound, src, (nuint)data.Length, level);
            return LibZstd.ZSTD_isError(written) != 0 ? null : output.AsSpan(0, (int)written).ToArray();
        }
        catch (DllNotFoundException)
        {
            return null;
        }
    }

    public static byte[] Decompress(ReadOnlySpan<byte> frame, int maxBytes = MaxDecompressedBytes)
    {
        try
        {
            fixed (byte* src = frame)
            {
                ulong size = LibZstd.ZSTD_getFrameContentSize(src, (nuint)frame.Length);
                if (size == ContentSizeError)
                    throw Errors.InvalidArgument("message.malformed", "malformed compressed message");
                // Unknown (ulong.MaxValue) or too large: decompress up to the limit and let zstd fail if it overflows.
                int capacity = size <= (ulong)maxBytes ? (int)size : maxBytes;
                if (size != ulong.MaxValue && size > (ulong)maxBytes)
                    throw Errors.TooLarge("message.too_large", $"compressed message expands beyond {maxBytes} bytes");
                var output = new byte[capacity];
                nuint written;
                fixed (byte* dst = output)
                    written = LibZstd.ZSTD_decompress(dst, (nuint)capacity, src, (nuint)frame.Length);
                if (LibZstd.ZSTD_isError(written) != 0)
                    throw Errors.InvalidArgument("message.malformed", "malformed compressed message");
                return output.AsSpan(0, (int)written).ToArray();
            }
        }
        catch (DllNotFoundException)
        {
            throw Errors.Unsupported("group.zstd_unavailable", "compressed group messages need libzstd, which is not installed");
        }
    }
}
