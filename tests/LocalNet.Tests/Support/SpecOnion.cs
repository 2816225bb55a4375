using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Sodium;

namespace SessionInterop.LocalNet.Tests.Support;

// A client-side onion request builder written from protocol-network.md §5.1–5.3 alone, on purpose
// independent of the server code (and of src/Managed/Crypto/Onion), so the tests check LocalNet
// against the spec rather than against itself.
internal sealed class SpecOnion
{
    internal sealed record Hop(string Ed25519Hex, byte[] X25519);

    /// <param name="HopKeys">Layer key of each path hop (HopKeys[i] for path[i]), to open hop-level envelopes.</param>
    internal sealed record Built(byte[] Body, byte[] DestinationKey, bool XChaCha, byte[][] HopKeys);

    /// <summary>Builds the outer body for a storage RPC to <paramref name="destination"/> through <paramref name="path"/>.</summary>
    internal static Built ForSnode(IReadOnlyList<Hop> path, Hop destination, string rpcJson, bool xchacha,
        string control = """{"headers":""}""", Func<int, JsonObject, JsonObject>? tweakHopJson = null)
    {
        byte[] payload = Frame(Encoding.UTF8.GetBytes(rpcJson), Encoding.UTF8.GetBytes(control));
        return Wrap(path, destination.X25519, payload, xchacha,
            ephPk => Route(new JsonObject { ["destination"] = destination.Ed25519Hex, ["ephemeral_key"] = Convert.ToHexStringLower(ephPk) }, xchacha),
            tweakHopJson);
    }

    /// <summary>Builds the outer body for a server destination (§5.3 step 3, server variant).</summary>
    internal static Built ForServer(IReadOnlyList<Hop> path, byte[] serverX25519, byte[] payload, JsonObject serverRoute, bool xchacha)
    {
        return Wrap(path, serverX25519, payload, xchacha, ephPk =>
        {
            var json = (JsonObject)serverRoute.DeepClone();
            json["ephemeral_key"] = Convert.ToHexStringLower(ephPk);
            return Route(json, xchacha);
        }, null);
    }

    private static Built Wrap(IReadOnlyList<Hop> path, byte[] destinationX, byte[] payload, bool xchacha,
        Func<byte[], JsonObject> exitJson, Func<int, JsonObject, JsonObject>? tweak)
    {
        // Destination layer.
        (byte[] e0sk, byte[] e0pk) = NewEphemeral();
        byte[] k0 = LayerKey(xchacha, e0sk, destinationX, e0pk, destinationX);
        byte[] blob = Encrypt(xchacha, k0, payload);
        JsonObject routing = exitJson(e0pk);
        var hopKeys = new byte[path.Count][];

        // Path layers, exit first; each layer's JSON tells that node where the next blob goes.
        for (int i = path.Count - 1; i >= 0; i--)
        {
            (byte[] sk, byte[] pk) = NewEphemeral();
            if (tweak is not null) routing = tweak(i, routing);
            byte[] key = LayerKey(xchacha, sk, path[i].X25519, pk, path[i].X25519);
            hopKeys[i] = key;
            blob = Encrypt(xchacha, key, Frame(blob, Encoding.UTF8.GetBytes(routing.ToJsonString())));
            routing = i > 0
                ? Route(new JsonObject { ["destination"] = path[i].Ed25519Hex, ["ephemeral_key"] = Convert.ToHexStringLower(pk) }, xchacha)
                : Route(new JsonObject { ["ephemeral_key"] = Convert.ToHexStringLower(pk) }, xchacha);
        }
        return new Built(Frame(blob, Encoding.UTF8.GetBytes(routing.ToJsonString())), k0, xchacha, hopKeys);
    }

    /// <summary>Decrypts a base64 snode reply and returns the {"status","body"} envelope.</summary>
    internal static JsonObject OpenSnodeReply(Built built, string base64Body, byte[]? key = null) =>
        (JsonObject)JsonNode.Parse(Decrypt(built.XChaCha, key ?? built.DestinationKey, Convert.FromBase64String(base64Body)))!;

    internal static JsonObject Route(JsonObject json, bool xchacha)
    {
        if (xchacha) json["enc_type"] = "xchacha20";
        return json;
    }

    internal static byte[] Frame(byte[] blob, byte[] json)
    {
        byte[] output = new byte[4 + blob.Length + json.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(output, (uint)blob.Length);
        blob.CopyTo(output, 4);
        json.CopyTo(output, 4 + blob.Length);
        return output;
    }

    internal static (byte[] Sk, byte[] Pk) NewEphemeral()
    {
        byte[] sk = RandomNumberGenerator.GetBytes(32);
        return (sk, ScalarMult.Base(sk));
    }

    /// <summary>§5.1: AES-GCM key = HMAC-SHA256("LOKI", S); XChaCha20 key = BLAKE2b-32(S || sender pk || recipient pk).</summary>
    internal static byte[] LayerKey(bool xchacha, byte[] ownSk, byte[] otherPk, byte[] senderPk, byte[] recipientPk)
    {
        byte[] s = ScalarMult.Mult(ownSk, otherPk);
        return xchacha ? GenericHash.Hash([.. s, .. senderPk, .. recipientPk], (byte[]?)null, 32) : HMACSHA256.HashData("LOKI"u8, s);
    }

    internal static byte[] Encrypt(bool xchacha, byte[] key, byte[] plaintext, byte[]? nonce = null)
    {
        if (xchacha)
        {
            nonce ??= RandomNumberGenerator.GetBytes(24);
            return [.. nonce, .. SecretAeadXChaCha20Poly1305.Encrypt(plaintext, nonce, key)];
        }
        nonce ??= RandomNumberGenerator.GetBytes(12);
        byte[] ct = new byte[plaintext.Length];
        byte[] tag = new byte[16];
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(nonce, plaintext, ct, tag);
        return [.. nonce, .. ct, .. tag];
    }

    internal static byte[] Decrypt(bool xchacha, byte[] key, byte[] data)
    {
        if (xchacha)
            return SecretAeadXChaCha20Poly1305.Decrypt(data[24..], data[..24], key);
        byte[] pt = new byte[data.Length - 28];
        using var aes = new AesGcm(key, 16);
        aes.Decrypt(data[..12], data[12..^16], data[^16..], pt);
        return pt;
    }
}
