using System.Text;
using System.Text.Json;
using SessionInterop.Crypto.Onion;

namespace SessionInterop.Network.Client;

/// <summary>The storage RPC result carried inside a snode onion reply: RPC status and body text.</summary>
internal sealed record SnodeReply(int Status, string Body);

// Reading a successful (HTTP 200) onion reply (protocol-network.md §5.7). Non-200 replies are
// plain-text hop errors and go to HopErrorClassifier instead.
internal static class OnionResponseReader
{
    /// <summary>
    /// Snode destination: base64 text (or legacy <c>{"result":"b64"}</c>) of the sealed envelope
    /// <c>{"status":N,"body":"…"}</c>. Null when it cannot be decrypted or parsed.
    /// </summary>
    public static SnodeReply? ReadSnodeReply(OnionRequest request, ReadOnlySpan<byte> httpBody)
    {
        byte[]? plain = Open(request, httpBody);
        if (plain is null)
            return null;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(plain);
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return null;
            if (!TryGetStatus(root, out int status))
                return null;
            string body = !root.TryGetProperty("body", out JsonElement b) ? ""
                : b.ValueKind == JsonValueKind.String ? b.GetString()!
                : b.GetRawText(); // "json":true style: the body is embedded as JSON
            return new SnodeReply(status, body);
        }
        catch (Exception e) when (IsMalformedJson(e))
        {
            return null;
        }
    }

    /// <summary>Server destination: raw sealed bytes (base64 accepted too) of a v4 bencoded response.</summary>
    public static ServerResponse? ReadServerReply(OnionRequest request, ReadOnlySpan<byte> httpBody)
    {
        byte[]? plain = Decrypt(request, httpBody) ?? Open(request, httpBody);
        return plain is null ? null : V4Codec.DecodeResponse(plain);
    }

    // Base64 text first (what storage servers send), then the raw bytes as they came.
    private static byte[]? Open(OnionRequest request, ReadOnlySpan<byte> httpBody)
    {
        byte[]? sealedBytes = TryBase64(httpBody) ?? TryLegacyResult(httpBody);
        byte[]? plain = sealedBytes is null ? null : Decrypt(request, sealedBytes);
        return plain ?? Decrypt(request, httpBody);
    }

    private static byte[]? Decrypt(OnionRequest request, ReadOnlySpan<byte> sealedBytes) =>
        OnionLayerCipher.TryDecrypt(request.Cipher, request.ResponseKey, sealedBytes, out byte[] plain) ? plain : null;

    private static byte[]? TryBase64(ReadOnlySpan<byte> text)
    {
        string s = Encoding.ASCII.GetString(text).Trim();
        if (s.Length == 0)
            return null;
        try
        {
            return Convert.FromBase64String(s);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static byte[]? TryLegacyResult(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty || body[0] != (byte)'{')
            return null;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(body.ToArray());
            return doc.RootElement.TryGetProperty("result", out JsonElement r) && r.ValueKind == JsonValueKind.String
                ? TryBase64(Encoding.ASCII.GetBytes(r.GetString()!))
                : null;
        }
        catch (Exception e) when (IsMalformedJson(e))
        {
            return null;
        }
    }

    /// <summary>
    /// JsonDocument checks a string's UTF-8 only when it is read: GetString on invalid bytes throws
    /// InvalidOperationException, which is as malformed as a JsonException.
    /// </summary>
    internal static bool IsMalformedJson(Exception e) => e is JsonException or InvalidOperationException;

    private static bool TryGetStatus(JsonElement root, out int status)
    {
        status = 0;
        return (root.TryGetProperty("status", out JsonElement s) || root.TryGetProperty("status_code", out s))
            && s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out status);
    }
}
