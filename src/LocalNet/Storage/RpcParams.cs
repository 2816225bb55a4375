using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SessionInterop.LocalNet.Storage;

// Typed access to a storage-RPC "params" object with the storage server's parsing rules and
// error texts (§4.2, §10.3; SS client_rpc_endpoints.cpp): timestamps are unsigned JSON integers in
// ms (≥ 10⁹), namespaces fit int16, signatures are 86/88-char base64, hashes 43-char base64,
// account keys 66 hex. A JSON null counts as absent. Violations throw RpcParseException, which
// the dispatcher answers with 400 "invalid request: <message>".
internal sealed class RpcParams(JsonObject json)
{
    internal const long MinMillisecondTimestamp = 1_000_000_000;

    internal JsonObject Json { get; } = json;

    internal bool Has(string name) => Json.ContainsKey(name) && Json[name] is not null;

    private static RpcParseException TypeError(string name, string expected) =>
        new($"Invalid value given for '{name}': expected {expected}");

    /// <summary>The account key: 66 hex (prefix + 32 bytes); store/retrieve/get_swarm also accept "pubKey".</summary>
    internal (string Hex, byte[] Key) Account(bool allowAlias, bool getSwarmWording = false)
    {
        string? main = String("pubkey");
        string? alias = allowAlias ? String("pubKey") : null;
        if (main is not null && alias is not null) throw new RpcParseException("Cannot specify both 'pubkey' and 'pubKey'");
        string text = main ?? alias ?? throw new RpcParseException("Required field 'pubkey' missing");
        if (!IsHex(text, 66))
            throw new RpcParseException(getSwarmWording ? "Pubkey must be 66 hex digits/33 bytes long" : "Pubkey must be 66 hex digits (33 bytes) long");
        string hex = text.ToLowerInvariant();
        return (hex, Convert.FromHexString(hex));
    }

    /// <summary>Optional pubkey_ed25519 (64 hex), only allowed for 05 accounts.</summary>
    internal byte[]? PubkeyEd25519(byte[] account)
    {
        string? hex = String("pubkey_ed25519");
        if (hex is null) return null;
        if (account[0] != 0x05) throw new RpcParseException("pubkey_ed25519 is only permitted for 05[...] pubkeys");
        if (hex.Length != 64) throw new RpcParseException("Invalid pubkey_ed25519: expected 64 hex char or 32 byte pubkey");
        if (!IsHex(hex, 64)) throw new RpcParseException("invalid pubkey_ed25519: value is not hex");
        return Convert.FromHexString(hex);
    }

    /// <summary>Optional Ed25519 signature: 86 unpadded or 88 ("==") base64 characters.</summary>
    internal byte[]? Signature()
    {
        string? text = String("signature");
        if (text is null) return null;
        return DecodeSignature(text) ?? throw new RpcParseException("invalid signature: expected base64 encoded Ed25519 signature");
    }

    /// <summary>The signature of a method that always needs one.</summary>
    internal byte[] RequiredSignature() => Signature() ?? throw new RpcParseException("Required field 'signature' missing");

    /// <summary>An unsigned integer millisecond timestamp (≥ 10⁹ ms); null when optional and absent.</summary>
    internal long? Timestamp(string name, bool required)
    {
        if (!Has(name))
            return required ? throw new RpcParseException($"Required field '{name}' missing") : null;
        JsonNode node = Json[name]!;
        if (node.GetValueKind() != JsonValueKind.Number || !node.AsValue().TryGetValue(out long value) || value < 0)
            throw TypeError(name, "integer timestamp (in milliseconds)");
        if (value < MinMillisecondTimestamp)
            throw new RpcParseException($"Invalid timestamp for '{name}': timestamp must be in milliseconds");
        return value;
    }

    /// <summary>store's timestamp/ttl: an integer, or (backwards compatibility) a decimal string.</summary>
    internal long? IntegerOrDecimalString(string name, bool unsigned)
    {
        if (!Has(name)) return null;
        JsonNode node = Json[name]!;
        if (node.GetValueKind() == JsonValueKind.String)
        {
            return long.TryParse(node.GetValue<string>(), unsigned ? NumberStyles.None : NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long s)
                ? s
                : throw new RpcParseException($"Invalid value given for '{name}': {node.ToJsonString()}");
        }
        if (node.GetValueKind() == JsonValueKind.Number && node.AsValue().TryGetValue(out long n) && (!unsigned || n >= 0)) return n;
        throw TypeError(name, unsigned ? "positive integer" : "integer");
    }

    /// <summary>A namespace in int16 range (default 0); with <paramref name="allowAll"/>, "all" gives null.</summary>
    internal int? Namespace(bool allowAll)
    {
        if (!Has("namespace")) return 0;
        JsonNode node = Json["namespace"]!;
        if (node.GetValueKind() == JsonValueKind.Number && node.AsValue().TryGetValue(out long ns))
        {
            if (ns is < short.MinValue or > short.MaxValue)
                throw new RpcParseException("Invalid value given for 'namespace': value out of range");
            return (int)ns;
        }
        if (allowAll && node.GetValueKind() == JsonValueKind.String && node.GetValue<string>() == "all") return null;
        throw TypeError("namespace", allowAll ? "integer or \"all\"" : "16-bit integer");
    }

    internal long? Integer(string name)
    {
        if (!Has(name)) return null;
        JsonNode node = Json[name]!;
        if (node.GetValueKind() != JsonValueKind.Number || !node.AsValue().TryGetValue(out long value))
            throw TypeError(name, "integer");
        return value;
    }

    internal bool Bool(string name)
    {
        if (!Has(name)) return false;
        JsonValueKind kind = Json[name]!.GetValueKind();
        if (kind is not (JsonValueKind.True or JsonValueKind.False)) throw TypeError(name, "boolean");
        return kind == JsonValueKind.True;
    }

    internal string? String(string name)
    {
        if (!Has(name)) return null;
        JsonNode node = Json[name]!;
        if (node.GetValueKind() != JsonValueKind.String) throw TypeError(name, "string");
        return node.GetValue<string>();
    }

    /// <summary>A string or a list of strings (a single string is a list of one).</summary>
    internal List<string>? Strings(string name)
    {
        if (!Has(name)) return null;
        JsonNode node = Json[name]!;
        if (node.GetValueKind() == JsonValueKind.String) return [node.GetValue<string>()];
        if (node is JsonArray array && array.All(i => i is not null && i.GetValueKind() == JsonValueKind.String))
            return array.Select(i => i!.GetValue<string>()).ToList();
        throw TypeError(name, "string array");
    }

    /// <summary>An optional last_hash (alias lastHash); "" means absent.</summary>
    internal string? LastHash()
    {
        string? snake = String("last_hash"), camel = String("lastHash");
        if (snake is not null && camel is not null) throw new RpcParseException("Cannot specify both 'last_hash' and 'lastHash'");
        string? hash = camel ?? snake;
        if (string.IsNullOrEmpty(hash)) return null;
        if (hash.Length != 43) throw new RpcParseException("Invalid last_hash: expected base64 (43 chars)");
        if (!IsMessageHash(hash)) throw new RpcParseException("Invalid last_hash: not base64");
        return hash;
    }

    /// <summary>A required, non-empty list of message hashes.</summary>
    internal List<string> MessageHashes()
    {
        List<string> hashes = Strings("messages") ?? throw new RpcParseException("Required field 'messages' missing");
        if (hashes.Count == 0) throw new RpcParseException("messages does not contain any message hashes");
        return hashes;
    }

    /// <summary>Rejects malformed message hashes (checked after the other fields, as the server does).</summary>
    internal static void CheckHashes(List<string> hashes)
    {
        foreach (string h in hashes)
            if (!IsMessageHash(h)) throw new RpcParseException("invalid message hash: " + h);
    }

    /// <summary>Optional subaccount token (36 bytes as 48 base64 or 72 hex) with its subaccount_sig (§4.6).</summary>
    internal SubaccountToken? Subaccount()
    {
        string? token = String("subaccount");
        if (string.IsNullOrEmpty(token)) return null;
        string sig = String("subaccount_sig") ?? throw new RpcParseException("invalid subaccount: subaccount_sig is required when using subaccount");
        byte[] raw = ParseToken(token) ?? throw new RpcParseException("invalid subaccount: expected base64 or hex-encoded subaccount token");
        byte[] signature = DecodeSignature(sig) ?? throw new RpcParseException("invalid subaccount signature: expected base64 encoded Ed25519 signature");
        return new SubaccountToken(raw, signature);
    }

    /// <summary>A 36-byte subaccount token given as 48 base64 or 72 hex characters.</summary>
    internal static byte[]? ParseToken(string text)
    {
        if (IsHex(text, 72)) return Convert.FromHexString(text);
        return text.Length == 48 && TryBase64(text, out byte[] raw) && raw.Length == 36 ? raw : null;
    }

    internal static bool IsHex(string text, int length) =>
        text.Length == length && text.All(char.IsAsciiHexDigit);

    internal static bool IsMessageHash(string text) =>
        text.Length == 43 && TryBase64(text + "=", out byte[] raw) && raw.Length == 32;

    internal static byte[]? DecodeSignature(string text)
    {
        if (text.Length == 86) text += "==";
        else if (text.Length != 88 || !text.EndsWith("==", StringComparison.Ordinal)) return null;
        return TryBase64(text, out byte[] raw) && raw.Length == 64 ? raw : null;
    }

    internal static bool TryBase64(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length % 4 != 0) return false;
        byte[] buffer = new byte[text.Length / 4 * 3];
        if (!Convert.TryFromBase64String(text, buffer, out int written)) return false;
        bytes = buffer[..written];
        return true;
    }
}
