namespace SessionInterop.NativeExports.Abi;

/// <summary>Argument checks and output helpers shared by the exports (all run on the calling thread).</summary>
internal static unsafe class Args
{
    /// <summary>A required input buffer as a span; (NULL, 0) is an empty input.</summary>
    internal static ReadOnlySpan<byte> Bytes(byte* p, nuint length, string parameter)
    {
        if (length == 0) return [];
        if (p == null) throw Errors.NullPointer(parameter);
        if (length > int.MaxValue) throw Errors.TooLarge("arg.too_large", $"{parameter} is too large");
        return new ReadOnlySpan<byte>(p, (int)length);
    }

    /// <summary>A 32-byte key given as 64 hex digits (community server public keys).</summary>
    internal static byte[] HexKey(byte* text, string parameter)
    {
        string hex = Utf8.ReadRequired(text, parameter);
        if (hex.Length != 64 || !hex.All(Uri.IsHexDigit))
            throw Errors.InvalidArgument("arg.bad_hex_key", $"{parameter} must be 64 hex digits");
        return Convert.FromHexString(hex);
    }

    /// <summary>Zeroes a caller's fixed-size out-buffer (done first, so a failed call leaves no stale bytes).</summary>
    internal static void Clear(byte* destination, nuint capacity)
    {
        if (destination != null && capacity > 0) new Span<byte>(destination, (int)Math.Min(capacity, 4096)).Clear();
    }

    /// <summary>Writes a fixed-size result into a caller buffer of at least its size.</summary>
    internal static void WriteFixed(ReadOnlySpan<byte> value, byte* destination, nuint capacity, string parameter)
    {
        if (destination == null) throw Errors.NullPointer(parameter);
        if (capacity < (nuint)value.Length) throw Errors.BufferTooSmall((nuint)value.Length);
        value.CopyTo(new Span<byte>(destination, value.Length));
    }

    /// <summary>Hands a library-allocated copy to the caller (freed with session_free).</summary>
    internal static void WriteAllocated(ReadOnlySpan<byte> value, byte** output, nuint* outputLength)
    {
        if (output == null) throw Errors.NullPointer("out");
        if (outputLength == null) throw Errors.NullPointer("out_len");
        *output = NativeBuffers.Copy(value);
        *outputLength = (nuint)value.Length;
    }
}
