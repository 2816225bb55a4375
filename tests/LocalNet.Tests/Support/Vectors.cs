using System.Text.Json.Nodes;

namespace SessionInterop.LocalNet.Tests.Support;

// Access to Vectors/onion_vectors.json (protocol-network.md §6.3).
internal static class Vectors
{
    private static readonly Lazy<JsonObject> s_onion = new(() =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Vectors", "onion_vectors.json")))!);

    internal static JsonObject Onion => s_onion.Value;

    internal static JsonObject Case(string name) => (JsonObject)Onion[name]!;

    internal static byte[] Hex(JsonNode? node) => Convert.FromHexString(node!.GetValue<string>());

    internal static string Str(JsonNode? node) => node!.GetValue<string>();
}
