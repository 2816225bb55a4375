namespace SessionInterop.Crypto;

/// <summary>
/// Plaintext padding (§4). We emit libsession's current form (payload ‖ 0x80 ‖ zeros up to the
/// next multiple of 160, a whole extra block when already aligned) and accept any form on receive.
/// </summary>
internal static class Padding
{
    public const int BlockSize = 160;

    /// <summary>Length of the padded form of an n-byte payload.</summary>
    public static int PaddedLength(int payloadLength)
    {
        int n = payloadLength + 1;
        return n + (BlockSize - n % BlockSize);
    }

    public static byte[] Pad(ReadOnlySpan<byte> payload)
    {
        var output = new byte[PaddedLength(payload.Length)];
        Pad(payload, output);
        return output;
    }

    public static void Pad(ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        if (destination.Length != PaddedLength(payload.Length))
            throw Errors.InvalidArgument("crypto.bad_length", $"padded output needs {PaddedLength(payload.Length)} bytes");
        payload.CopyTo(destination);
        destination[payload.Length] = 0x80;
        destination[(payload.Length + 1)..].Clear();
    }

    /// <summary>The legacy Signal-style form (length 160·k − 1); kept to test the tolerant reader.</summary>
    public static byte[] PadLegacy(ReadOnlySpan<byte> payload)
    {
        int length = (payload.Length + 2 + BlockSize - 1) / BlockSize * BlockSize - 1;
        var output = new byte[length];
        payload.CopyTo(output);
        output[payload.Length] = 0x80;
        return output;
    }

    /// <summary>
    /// Strips trailing zeros then one 0x80. If the last non-zero byte is not 0x80 the data is taken
    /// as unpadded with its trailing zeros stripped (libsession's behaviour). All-zero → empty.
    /// </summary>
    public static ReadOnlySpan<byte> Unpad(ReadOnlySpan<byte> padded)
    {
        int end = padded.LastIndexOfAnyExcept((byte)0);
        if (end < 0) return [];
        return padded[end] == 0x80 ? padded[..end] : padded[..(end + 1)];
    }
}
