using System.Diagnostics.CodeAnalysis;

namespace SessionInterop.Crypto;

/// <summary>
/// A 33-byte Session ID: one prefix byte (§1.4) and a 32-byte key. Text form is 66 lowercase hex
/// characters. Parsing accepts upper case and surrounding whitespace and normalises to lowercase.
/// Error messages never echo the id.
/// </summary>
internal readonly struct SessionId : IEquatable<SessionId>
{
    public const int ByteLength = 33;
    public const int HexLength = 66;

    private readonly byte[]? _bytes;

    private SessionId(byte[] bytes) => _bytes = bytes;

    /// <summary>The prefix byte.</summary>
    public SessionIdPrefix Prefix => (SessionIdPrefix)Bytes[0];

    /// <summary>The 32 key bytes after the prefix.</summary>
    public ReadOnlySpan<byte> Key => Bytes.AsSpan(1);

    /// <summary>All 33 bytes.</summary>
    public ReadOnlySpan<byte> AsSpan() => Bytes;

    /// <summary>True for default(SessionId), which holds no id.</summary>
    public bool IsEmpty => _bytes is null;

    private byte[] Bytes => _bytes ?? throw Errors.InvalidArgument("id.empty", "the Session ID is empty (default value)");

    /// <summary>Parses any id with a known prefix.</summary>
    public static SessionId Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        ReadOnlySpan<char> s = text.AsSpan().Trim();
        if (s.Length != HexLength)
            throw Errors.InvalidArgument("id.bad_length", $"a Session ID has {HexLength} hex characters, got {s.Length}");
        var bytes = new byte[ByteLength];
        if (Convert.FromHexString(s, bytes, out _, out _) != System.Buffers.OperationStatus.Done)
            throw Errors.InvalidArgument("id.bad_hex", "a Session ID must contain only hex digits");
        return FromBytesOwned(bytes);
    }

    /// <summary>Parses an id and requires the given prefix (e.g. 05 to start a 1:1 conversation).</summary>
    public static SessionId Parse(string text, SessionIdPrefix required)
    {
        SessionId id = Parse(text);
        id.Require(required);
        return id;
    }

    public static bool TryParse([NotNullWhen(true)] string? text, out SessionId id)
    {
        id = default;
        if (text is null) return false;
        try { id = Parse(text); return true; }
        catch (SessionException) { return false; }
    }

    /// <summary>Builds an id from 33 raw bytes (copied).</summary>
    public static SessionId FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != ByteLength)
            throw Errors.InvalidArgument("id.bad_length", $"a Session ID has {ByteLength} bytes, got {bytes.Length}");
        return FromBytesOwned(bytes.ToArray());
    }

    /// <summary>Builds an id from a prefix and a 32-byte key (copied).</summary>
    public static SessionId FromKey(SessionIdPrefix prefix, ReadOnlySpan<byte> key)
    {
        if (key.Length != 32)
            throw Errors.InvalidArgument("id.bad_length", $"a Session ID key has 32 bytes, got {key.Length}");
        if (!Enum.IsDefined(prefix))
            throw Errors.InvalidArgument("id.unknown_prefix", "unknown Session ID prefix");
        var bytes = new byte[ByteLength];
        bytes[0] = (byte)prefix;
        key.CopyTo(bytes.AsSpan(1));
        return new SessionId(bytes);
    }

    /// <summary>Throws id.wrong_prefix unless this id has the given prefix.</summary>
    public void Require(SessionIdPrefix required)
    {
        if (Prefix != required)
            throw Errors.InvalidArgument("id.wrong_prefix", $"expected a Session ID starting with {(byte)required:x2}, got {(byte)Prefix:x2}");
    }

    /// <summary>A short form safe for logs: prefix and first/last 4 hex characters.</summary>
    public string ToShortString()
    {
        string hex = ToString();
        return $"{hex[..6]}…{hex[^4..]}";
    }

    public override string ToString() => _bytes is null ? string.Empty : Convert.ToHexStringLower(_bytes);

    public bool Equals(SessionId other) => AsNullableSpan().SequenceEqual(other.AsNullableSpan());

    public override bool Equals(object? obj) => obj is SessionId other && Equals(other);

    public override int GetHashCode()
    {
        var h = new HashCode();
        h.AddBytes(AsNullableSpan());
        return h.ToHashCode();
    }

    public static bool operator ==(SessionId left, SessionId right) => left.Equals(right);
    public static bool operator !=(SessionId left, SessionId right) => !left.Equals(right);

    private ReadOnlySpan<byte> AsNullableSpan() => _bytes;

    private static SessionId FromBytesOwned(byte[] bytes)
    {
        if (!Enum.IsDefined((SessionIdPrefix)bytes[0]))
            throw Errors.InvalidArgument("id.unknown_prefix", $"unknown Session ID prefix {bytes[0]:x2}");
        return new SessionId(bytes);
    }
}
