using System.Globalization;
using System.Text;

namespace SessionInterop.Crypto;

/// <summary>
/// Community (SOGS) request signing (§8.2). The signed bytes are
/// S_pk ‖ nonce ‖ decimal(ts) ‖ METHOD ‖ path[?query] ‖ H_64(body) (hash only when a body is sent).
/// Blinded: our blind-15 key and signature; unblinded: "00" ‖ Ed25519 key and a plain signature.
/// </summary>
internal static class CommunityAuth
{
    public const int NonceBytes = 16;

    /// <summary>Signs with a fresh random nonce.</summary>
    public static CommunityAuthHeaders Sign(Identity identity, ReadOnlySpan<byte> serverPk, string method, string path,
        ReadOnlySpan<byte> body, long timestampSeconds, bool blinded = true)
    {
        Span<byte> nonce = stackalloc byte[NonceBytes];
        Primitives.RandomBytes(nonce);
        return Sign(identity, serverPk, method, path, body, timestampSeconds, nonce, blinded, Blinding.Blind15NonceSource.SecretKey);
    }

    /// <summary>Signs with a caller-chosen nonce (tests reproduce desktop vectors through <paramref name="nonceSource"/>).</summary>
    internal static CommunityAuthHeaders Sign(Identity identity, ReadOnlySpan<byte> serverPk, string method, string path,
        ReadOnlySpan<byte> body, long timestampSeconds, ReadOnlySpan<byte> nonce, bool blinded, Blinding.Blind15NonceSource nonceSource)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(path);
        if (serverPk.Length != 32)
            throw Errors.InvalidArgument("community.bad_server_key", $"a server public key has 32 bytes, got {serverPk.Length}");
        if (nonce.Length != NonceBytes)
            throw Errors.InvalidArgument("community.bad_nonce", $"a request nonce has {NonceBytes} bytes");
        if (timestampSeconds < 0)
            throw Errors.InvalidArgument("community.bad_timestamp", "the request timestamp must not be negative");

        string timestamp = timestampSeconds.ToString(CultureInfo.InvariantCulture);
        byte[] text = Encoding.UTF8.GetBytes(timestamp + method + path);
        Span<byte> bodyHash = stackalloc byte[64];
        if (!body.IsEmpty) Primitives.Blake2b(bodyHash, body);
        byte[] toSign = [.. serverPk, .. nonce, .. text, .. (body.IsEmpty ? [] : bodyHash)];

        byte[] signature = new byte[64];
        string pubkey;
        if (blinded)
        {
            Blinding.Sign15(identity, serverPk, toSign, signature, nonceSource);
            pubkey = identity.Blinded15(serverPk).Id.ToString();
        }
        else
        {
            Primitives.Sign(identity.Ed25519SecretKey, toSign, signature);
            pubkey = SessionId.FromKey(SessionIdPrefix.Unblinded, identity.Ed25519PublicKey).ToString();
        }
        return new CommunityAuthHeaders(pubkey, timestamp, Convert.ToBase64String(nonce), Convert.ToBase64String(signature));
    }
}

/// <summary>The four X-SOGS-* header values of one signed request.</summary>
internal sealed record CommunityAuthHeaders(string Pubkey, string Timestamp, string Nonce, string Signature)
{
    public IEnumerable<KeyValuePair<string, string>> AsHeaders()
    {
        yield return new("X-SOGS-Pubkey", Pubkey);
        yield return new("X-SOGS-Timestamp", Timestamp);
        yield return new("X-SOGS-Nonce", Nonce);
        yield return new("X-SOGS-Signature", Signature);
    }
}
