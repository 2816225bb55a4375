using System.Globalization;
using System.Text;
using SessionInterop.Crypto;

namespace SessionInterop.LocalNet.Community;

/// <summary>
/// Verifies the X-SOGS-* headers of an outer request (protocol-crypto.md §8.2, the checks and
/// order of SOGS auth.py): all four or none; pubkey 00/15 + 32 bytes (hex or base64); blinded ids
/// required when the server advertises "blind"; nonce 16 bytes; signature 64 bytes; timestamp an
/// integer within ±24 h (425); banned → 403; a reused nonce → 425; the Ed25519 signature over
/// S_pk ‖ nonce ‖ ts ‖ METHOD ‖ path[?query] ‖ H64(body) → 401 when it fails.
/// </summary>
internal sealed class CommunityAuthCheck(CommunityStore store, byte[] serverPublicKey, bool requireBlind, TimeProvider time)
{
    private const double MaxSkewSeconds = 24 * 3600;

    /// <summary>Null user and null error: no auth. A user: authenticated. An error: reject with it.</summary>
    internal (string? User, CommunityReply? Error) Check(CommunityRequest request)
    {
        string? pk = request.Header("X-SOGS-Pubkey"), nonceText = request.Header("X-SOGS-Nonce"),
            tsText = request.Header("X-SOGS-Timestamp"), sigText = request.Header("X-SOGS-Signature");
        int missing = new[] { pk, nonceText, tsText, sigText }.Count(string.IsNullOrEmpty);
        if (missing == 4) return (null, null);
        if (missing > 0) return Fail(400, $"Invalid authentication headers: missing {missing}/4 required X-SOGS-* headers");

        byte[]? id = DecodeHexOrBase64(pk!, 33);
        if (id is null) return Fail(400, "Invalid authentication: X-SOGS-Pubkey is not a valid 66-hex digit id");
        if (id[0] is not (0x00 or 0x15)) return Fail(400, "Invalid authentication: X-SOGS-Pubkey must be 00- or 15- prefixed");
        bool blinded = id[0] == 0x15;
        if (!blinded && requireBlind) return Fail(400, "Invalid authentication: this server requires the use of blinded ids");
        byte[]? nonce = DecodeHexOrBase64(nonceText!, 16);
        if (nonce is null) return Fail(400, "Invalid authentication: X-SOGS-Nonce must be 16 bytes (encoded as base64 or hex)");
        byte[]? signature = DecodeHexOrBase64(sigText!, 64);
        if (signature is null) return Fail(400, "Invalid authentication: X-SOGS-Signature is not base64[88]");
        if (!long.TryParse(tsText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long ts))
            return Fail(400, "Invalid authentication: X-SOGS-Timestamp is not a valid timestamp");

        double now = time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        if (ts < now - MaxSkewSeconds || ts > now + MaxSkewSeconds)
            return Fail(425, "Invalid authentication: X-SOGS-Timestamp is too far from current time");

        byte[] edKey = id[1..];
        string sessionId;
        if (blinded)
            sessionId = Convert.ToHexStringLower(id);
        else
        {
            byte[] x = new byte[32];
            if (!Primitives.EdPkToX(edKey, x)) return Fail(400, "Invalid authentication: given X-SOGS-Pubkey is not a valid Ed25519 pubkey");
            sessionId = "05" + Convert.ToHexStringLower(x);
        }

        if (store.TouchUser(sessionId)) return Fail(403, "Banned");
        if (!store.UseNonce(sessionId, nonce, now)) return Fail(425, "Invalid authentication: X-SOGS-Nonce cannot be reused");

        byte[] bodyHash = [];
        if (request.Body.Length > 0)
        {
            bodyHash = new byte[64];
            Primitives.Blake2b(bodyHash, request.Body);
        }
        byte[] toSign = [.. serverPublicKey, .. nonce, .. Encoding.UTF8.GetBytes(tsText + request.Method + request.SignedPath), .. bodyHash];
        if (!Primitives.Verify(signature, toSign, edKey))
            return Fail(401, "Invalid authentication: X-SOGS-Signature verification failed");
        return (sessionId, null);
    }

    private static (string?, CommunityReply?) Fail(int status, string text) => (null, CommunityReply.Text(status, text));

    /// <summary>Hex of exactly 2n digits, or base64 (padded or not) of exactly n bytes; else null.</summary>
    internal static byte[]? DecodeHexOrBase64(string text, int size)
    {
        if (text.Length == size * 2 && text.All(Uri.IsHexDigit)) return Convert.FromHexString(text);
        string padded = text.Length % 4 == 0 ? text : text + new string('=', 4 - text.Length % 4);
        try
        {
            byte[] bytes = Convert.FromBase64String(padded);
            return bytes.Length == size ? bytes : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
