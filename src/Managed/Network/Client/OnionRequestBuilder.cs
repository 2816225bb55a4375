using SessionInterop.Crypto.Onion;
using SessionInterop.Network.Onion;

namespace SessionInterop.Network.Client;

/// <summary>What a built onion request needs to be sent and its reply read.</summary>
internal sealed class OnionRequest
{
    public OnionRequest(byte[] body, OnionCipher cipher, byte[] responseKey, ServiceNode guard)
    {
        Body = body;
        Cipher = cipher;
        ResponseKey = responseKey;
        Guard = guard;
    }

    /// <summary>The bytes to POST to the guard's <c>/onion_req/v2</c>.</summary>
    public byte[] Body { get; }

    public OnionCipher Cipher { get; }

    /// <summary>Key shared with the destination; the reply is sealed with it.</summary>
    public byte[] ResponseKey { get; }

    public ServiceNode Guard { get; }
}

/// <summary>One layer as built, for tests that compare against the spec vectors.</summary>
internal sealed record OnionLayerTrace(int Layer, byte[] EphemeralPublic, byte[] Key, byte[] Plaintext, byte[] Ciphertext);

// Builds an onion from the inside out (protocol-network.md §5.3): seal the payload for the
// destination (layer 0), then wrap it once per path hop, exit first, guard last.
internal static class OnionRequestBuilder
{
    /// <summary>Storage RPC to a snode destination: payload = u32le(len rpc) || rpc || {"headers":""}.</summary>
    public static OnionRequest ForSnode(
        IReadOnlyList<ServiceNode> path, ServiceNode destination, ReadOnlySpan<byte> rpcJson,
        OnionCipher cipher, IOnionEntropy entropy, Action<OnionLayerTrace>? trace = null)
    {
        byte[] payload = OnionFrame.Build(rpcJson, OnionRoutingJson.SnodeControl);
        return Build(path, destination.X25519Bytes(), payload, cipher, entropy, trace,
            (ephemeralPublic) => OnionRoutingJson.ToNode(destination.Ed25519Hex, ephemeralPublic, cipher));
    }

    /// <summary>v4 request to a server destination through the exit node.</summary>
    public static OnionRequest ForServer(
        IReadOnlyList<ServiceNode> path, ServerTarget server, ServerRequest request,
        OnionCipher cipher, IOnionEntropy entropy, Action<OnionLayerTrace>? trace = null)
    {
        byte[] payload = V4Codec.EncodeRequest(request);
        byte[] serverKey = ParseKey(server.X25519PublicKeyHex);
        return Build(path, serverKey, payload, cipher, entropy, trace,
            (ephemeralPublic) => OnionRoutingJson.ToServer(server, ephemeralPublic, cipher));
    }

    private static OnionRequest Build(
        IReadOnlyList<ServiceNode> path, byte[] destinationKey, byte[] payload, OnionCipher cipher,
        IOnionEntropy entropy, Action<OnionLayerTrace>? trace, Func<byte[], byte[]> exitRouting)
    {
        if (path.Count == 0)
            throw Errors.InvalidArgument("network.no_path", "an onion path needs at least one node");

        int layer = 0;
        var ephemeral = EphemeralKeyPair.Create(entropy, layer);
        byte[] responseKey = OnionLayerCipher.DeriveKey(cipher, ephemeral.Secret, destinationKey, ephemeral.Public, destinationKey);
        byte[] blob = Seal(layer, cipher, responseKey, payload, entropy, ephemeral.Public, trace);
        ephemeral.Clear();

        // Walk the path backwards; each hop learns where the next blob goes and its ephemeral key.
        byte[] routing = exitRouting(ephemeral.Public);
        for (int hop = path.Count - 1; hop >= 0; hop--)
        {
            layer++;
            byte[] plaintext = OnionFrame.Build(blob, routing);
            var hopKeyPair = EphemeralKeyPair.Create(entropy, layer);
            byte[] hopKey = path[hop].X25519Bytes();
            byte[] key = OnionLayerCipher.DeriveKey(cipher, hopKeyPair.Secret, hopKey, hopKeyPair.Public, hopKey);
            hopKeyPair.Clear();
            blob = Seal(layer, cipher, key, plaintext, entropy, hopKeyPair.Public, trace);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(key);
            routing = hop > 0
                ? OnionRoutingJson.ToNode(path[hop].Ed25519Hex, hopKeyPair.Public, cipher)
                : OnionRoutingJson.Outer(hopKeyPair.Public, cipher);
        }

        return new OnionRequest(OnionFrame.Build(blob, routing), cipher, responseKey, path[0]);
    }

    private static byte[] Seal(int layer, OnionCipher cipher, byte[] key, byte[] plaintext, IOnionEntropy entropy,
        byte[] ephemeralPublic, Action<OnionLayerTrace>? trace)
    {
        Span<byte> nonce = stackalloc byte[OnionLayerCipher.NonceSize(cipher)];
        entropy.FillNonce(layer, nonce);
        byte[] ciphertext = OnionLayerCipher.Encrypt(cipher, key, plaintext, nonce);
        trace?.Invoke(new OnionLayerTrace(layer, ephemeralPublic, key.ToArray(), plaintext, ciphertext));
        return ciphertext;
    }

    internal static byte[] ParseKey(string hex)
    {
        if (hex.Length != 64)
            throw Errors.InvalidArgument("network.bad_key", "X25519 key must be 64 hex characters");
        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            throw Errors.InvalidArgument("network.bad_key", "X25519 key must be hex");
        }
    }
}
