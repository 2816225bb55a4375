using System.Runtime.InteropServices;
using System.Text;

namespace SessionInterop.NativeExports.Abi;

/// <summary>Strict UTF-8 conversions at the boundary: invalid input is an error, never replaced.</summary>
internal static unsafe class Utf8
{
    private static readonly UTF8Encoding s_strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads a required NUL-terminated string; NULL and invalid UTF-8 are errors.</summary>
    internal static string ReadRequired(byte* p, string parameter)
    {
        if (p == null) throw Errors.NullPointer(parameter);
        return Decode(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(p), parameter);
    }

    /// <summary>Reads a (pointer, length) string; NULL is allowed only when length is 0.</summary>
    internal static string ReadSpan(byte* p, nuint length, string parameter)
    {
        if (length == 0) return string.Empty;
        if (p == null) throw Errors.NullPointer(parameter);
        if (length > int.MaxValue) throw Errors.TooLarge("arg.too_large", $"{parameter} is too large");
        return Decode(new ReadOnlySpan<byte>(p, (int)length), parameter);
    }

    internal static string Decode(ReadOnlySpan<byte> bytes, string parameter)
    {
        try { return s_strict.GetString(bytes); }
        catch (DecoderFallbackException) { throw Errors.InvalidUtf8(parameter); }
    }

    /// <summary>
    /// Writes text plus a NUL into a caller buffer with the size-query convention: *needed receives
    /// the size including the NUL; buf == NULL or a short cap returns SESSION_E_BUFFER_TOO_SMALL.
    /// </summary>
    internal static void WriteToBuffer(string text, byte* buffer, nuint capacity, nuint* needed)
    {
        CheckBuffer(text, buffer, capacity, needed);
        int length = Encoding.UTF8.GetByteCount(text);
        Encoding.UTF8.GetBytes(text, new Span<byte>(buffer, length));
        buffer[length] = 0;
    }

    /// <summary>Makes a caller's text buffer an empty string (done first, so a failed call leaves no stale text).</summary>
    internal static void Clear(byte* buffer, nuint capacity)
    {
        if (buffer != null && capacity > 0) buffer[0] = 0;
    }

    /// <summary>The size check of WriteToBuffer alone (for calls that must fail before changing anything).</summary>
    internal static void CheckBuffer(string text, byte* buffer, nuint capacity, nuint* needed)
    {
        nuint total = (nuint)Encoding.UTF8.GetByteCount(text) + 1;
        if (needed != null) *needed = total;
        if (buffer == null || capacity < total) throw Errors.BufferTooSmall(total);
    }
}
