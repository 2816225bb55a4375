using System.Security.Cryptography;
using System.Text.Json;
using NUnit.Framework;
using SessionInterop.Network.Client;

namespace SessionInterop.Tests.Network;

/// <summary>Loads Vectors/onion_vectors.json (protocol-network.md §6.3) and provides its deterministic entropy.</summary>
internal static class VectorFile
{
    private static readonly Lazy<JsonDocument> s_doc = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(System.IO.Path.Combine(TestContext.CurrentContext.TestDirectory, "Vectors", "onion_vectors.json"))));

    public static JsonElement Root => s_doc.Value.RootElement;

    public static JsonElement Case(string name) => Root.GetProperty(name);

    public static string Str(this JsonElement e, string name) => e.GetProperty(name).GetString()!;

    public static byte[] Hex(this JsonElement e, string name) => Convert.FromHexString(e.Str(name));

    /// <summary>Nodes "guard(1)", "middle(2)", "exit(3)", "destination(4)" on distinct loopback /24s.</summary>
    public static ServiceNode Node(string name, int n) =>
        new($"127.0.{n}.1", 22000 + n, Root.GetProperty("nodes").GetProperty(name).Str("ed25519"), Root.GetProperty("nodes").GetProperty(name).Str("x25519"));

    public static IReadOnlyList<ServiceNode> Path => [Node("guard(1)", 1), Node("middle(2)", 2), Node("exit(3)", 3)];

    public static ServiceNode Destination => Node("destination(4)", 4);
}

/// <summary>The generator's substitutes for randomness: SHA-256("eph"||k) and SHA-256("nonce"||k).</summary>
internal sealed class VectorEntropy : IOnionEntropy
{
    public void FillEphemeralSecret(int layer, Span<byte> secret) => SHA256.HashData([.. "eph"u8, (byte)layer]).AsSpan(0, secret.Length).CopyTo(secret);

    public void FillNonce(int layer, Span<byte> nonce) => SHA256.HashData([.. "nonce"u8, (byte)layer]).AsSpan(0, nonce.Length).CopyTo(nonce);
}
