using System.Buffers.Binary;

namespace SessionInterop.Network.Client;

// Onion layer framing (protocol-network.md §5.2): u32le(N) || BLOB (N bytes) || JSON to the end.
internal static class OnionFrame
{
    public static byte[] Encode(ReadOnlySpan<byte> blob, ReadOnlySpan<byte> json)
    {
        byte[] frame = new byte[4 + blob.Length + json.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)blob.Length);
        blob.CopyTo(frame.AsSpan(4));
        json.CopyTo(frame.AsSpan(4 + blob.Length));
        return frame;
    }

    /// <summary>Splits a frame; false when it is shorter than its declared blob.</summary>
    public static bool TryDecode(ReadOnlyMemory<byte> frame, out ReadOnlyMemory<byte> blob, out ReadOnlyMemory<byte> json)
    {
        blob = default;
        json = default;
        if (frame.Length < 4)
            return false;
        uint n = BinaryPrimitives.ReadUInt32LittleEndian(frame.Span);
        if (n > (uint)(frame.Length - 4))
            return false;
        blob = frame.Slice(4, (int)n);
        json = frame[(4 + (int)n)..];
        return true;
    }
}
