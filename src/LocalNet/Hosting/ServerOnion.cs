using System.Text.Json;
using System.Text.Json.Nodes;
using SessionInterop.Crypto;
using SessionInterop.Crypto.Onion;
using SessionInterop.LocalNet.Community;
using SessionInterop.Network.Onion;

namespace SessionInterop.LocalNet.Hosting;

/// <summary>
/// The server side of an onion v4 request, shared by the community server and the file server
/// (both answer /oxen/v4/lsrpc the same way): frame → JSON2 (ephemeral_key, enc_type) → decrypt
/// INNER with the server's X25519 key → bencoded [META, BODY?] → handle → encrypted bencoded
/// [RMETA, RBODY], raw bytes. Anything that does not parse or decrypt → the servers' answer: they
/// abort with a bare 400, which Flask renders as its stock HTML page (not encrypted; the exit
/// relays it as it is).
/// </summary>
internal static class ServerOnion
{
    /// <summary>
    /// A server's X25519 secret, kept in <paramref name="path"/> (mode 0600) across restarts so its
    /// URLs stay valid: read into <paramref name="secret"/>, or drawn and written. Returns the public key.
    /// </summary>
    internal static byte[] LoadOrCreateKey(string path, byte[] secret)
    {
        if (File.Exists(path)) File.ReadAllBytes(path).AsSpan(0, 32).CopyTo(secret);
        else
        {
            Primitives.RandomBytes(secret);
            File.WriteAllBytes(path, secret);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        var publicKey = new byte[32];
        Primitives.X25519Base(secret, publicKey);
        return publicKey;
    }

    internal static CommunityReply Handle(byte[] frame, byte[] secret, byte[] publicKey, Func<CommunityRequest, CommunityReply> handle)
    {
        if (!OnionFrame.TryParse(frame, out ReadOnlyMemory<byte> inner, out ReadOnlyMemory<byte> jsonBytes))
            return CommunityReply.UndecryptableOnion();
        OnionCipher encType = OnionCipher.AesGcm;
        byte[] ephemeral;
        try
        {
            if (JsonNode.Parse(jsonBytes.Span) is not JsonObject json || json["ephemeral_key"] is not JsonValue ek)
                return CommunityReply.UndecryptableOnion();
            ephemeral = Convert.FromHexString(ek.GetValue<string>());
            if (ephemeral.Length != 32) return CommunityReply.UndecryptableOnion();
            if (json["enc_type"] is JsonValue et && !OnionCiphers.TryParse(et.GetValue<string>(), out encType))
                return CommunityReply.UndecryptableOnion();
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return CommunityReply.UndecryptableOnion();
        }
        byte[] key = OnionLayerCipher.DeriveKey(encType, secret, ephemeral, ephemeral, publicKey);
        if (!OnionLayerCipher.TryDecrypt(encType, key, inner.Span, out byte[] plaintext))
            return CommunityReply.UndecryptableOnion();

        CommunityReply reply = V4Payload.TryDecodeRequest(plaintext, out CommunityRequest? request)
            ? handle(request!)
            : CommunityReply.BadRequest("Invalid v4 onion request");
        byte[] encoded = V4Payload.EncodeResponse(reply);
        return new CommunityReply(200, "application/octet-stream", OnionLayerCipher.Encrypt(encType, key, encoded));
    }
}
