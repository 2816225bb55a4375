using System.Text.Json;
using SessionInterop.Crypto.Onion;

namespace SessionInterop.Network.Client;

// The small JSON objects that travel next to each onion blob (protocol-network.md §5.3). Compact,
// keys in the order the spec vectors use; "enc_type" only when not AES-GCM (desktop style).
internal static class OnionRoutingJson
{
    /// <summary>For a hop that relays to another node: <c>{"destination","ephemeral_key"[,"enc_type"]}</c>.</summary>
    public static byte[] ToNode(string nextEd25519Hex, ReadOnlySpan<byte> ephemeralPublic, OnionCipher cipher)
    {
        string key = Convert.ToHexStringLower(ephemeralPublic);
        return Write(w =>
        {
            w.WriteString("destination", nextEd25519Hex);
            w.WriteString("ephemeral_key", key);
            WriteEncType(w, cipher);
        });
    }

    /// <summary>For the exit hop of a server request: host, target, method, protocol, port, key.</summary>
    public static byte[] ToServer(ServerTarget server, ReadOnlySpan<byte> ephemeralPublic, OnionCipher cipher)
    {
        string key = Convert.ToHexStringLower(ephemeralPublic);
        return Write(w =>
        {
            w.WriteString("host", server.Host);
            w.WriteString("target", "/oxen/v4/lsrpc");
            w.WriteString("method", "POST");
            w.WriteString("protocol", server.Protocol);
            w.WriteNumber("port", server.Port);
            w.WriteString("ephemeral_key", key);
            WriteEncType(w, cipher);
        });
    }

    /// <summary>The JSON of the body POSTed to the guard: <c>{"ephemeral_key"[,"enc_type"]}</c>.</summary>
    public static byte[] Outer(ReadOnlySpan<byte> ephemeralPublic, OnionCipher cipher)
    {
        string key = Convert.ToHexStringLower(ephemeralPublic);
        return Write(w =>
        {
            w.WriteString("ephemeral_key", key);
            WriteEncType(w, cipher);
        });
    }

    /// <summary>The control JSON after a storage RPC: marks the final destination.</summary>
    public static readonly byte[] SnodeControl = """{"headers":""}"""u8.ToArray();

    private static void WriteEncType(Utf8JsonWriter w, OnionCipher cipher)
    {
        if (cipher != OnionCipher.AesGcm)
            w.WriteString("enc_type", cipher.ToWireName());
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
