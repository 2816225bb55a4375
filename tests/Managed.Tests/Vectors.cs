using NUnit.Framework;
using System.Text.Json;

namespace SessionInterop.Tests;

/// <summary>
/// Loads the vector files under Vectors/ (copied next to the test assembly). Each file names its
/// source; each case carries the protocol-crypto.md section it comes from.
/// </summary>
internal static class Vectors
{
    public static JsonElement Load(string file)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Vectors", file);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.Clone();
    }

    /// <summary>One NUnit case per element of <paramref name="array"/>, named by section and index.</summary>
    public static IEnumerable<TestCaseData> Cases(string file, string array)
    {
        int i = 0;
        foreach (JsonElement item in Load(file).GetProperty(array).EnumerateArray())
        {
            string section = item.TryGetProperty("section", out JsonElement s) ? s.GetString()! : "?";
            yield return new TestCaseData(new Case(item)).SetArgDisplayNames($"§{section} #{i++}");
        }
    }

    public static byte[] Hex(string hex) => Convert.FromHexString(hex);
}

/// <summary>A vector case with typed accessors.</summary>
public sealed class Case(JsonElement element)
{
    public JsonElement Element { get; } = element;
    public string Str(string name) => Element.GetProperty(name).GetString()!;
    public byte[] Bytes(string name) => Convert.FromHexString(Str(name));
    public long Long(string name) => Element.GetProperty(name).GetInt64();
    public bool Bool(string name) => Element.GetProperty(name).GetBoolean();
    public bool Has(string name) => Element.TryGetProperty(name, out JsonElement v) && v.ValueKind != JsonValueKind.Null;
    public override string ToString() => Element.TryGetProperty("section", out JsonElement s) ? $"§{s.GetString()}" : "case";
}
