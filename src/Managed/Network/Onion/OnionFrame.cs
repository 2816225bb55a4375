using System.Buffers.Binary;

namespace SessionInterop.Network.Onion;

// The onion layer frame of protocol-network.md §5.2: u32le(N) || BLOB(N) || JSON (to the end).
internal static class OnionFrame
{
    /// <summary>Splits a frame; false when shorter than 4 bytes or shorter than the announced blob.</summary>
    internal static bool TryParse(ReadOnlyMemory<byte> frame, out ReadOnlyMemory<byte> blob, out ReadOnlyMemory<byte> json)
    {
        blob = default;
        json = default;
        if (frame.Length < 4) return false;
        uint n = BinaryPrimitives.ReadUInt32LittleEndian(frame.Span);
        if (n > (uint)(frame.Length - 4)) return false;
        blob = frame.Slice(4, (int)n);
        json = frame[(4 + (int)n)..];
        return true;
    }

    /// <summary>Builds <c>u32le(len blob) || blob || json</c>.</summary>
    internal static byte[] Build(ReadOnlySpan<byte> blob, ReadOnlySpan<byte> json)
    {
        byte[] output = new byte[4 + blob.Length + json.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(output, (uint)blob.Length);
        blob.CopyTo(output.AsSpan(4));
        json.CopyTo(output.AsSpan(4 + blob.Length));
        return output;
    }
}
