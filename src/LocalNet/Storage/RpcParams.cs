using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SessionInterop.LocalNet.Storage;

// Typed access to a storage-RPC "params" object with the storage server's rules (§4.2, §10.3):
// timestamps are unsigned JSON integers in ms (≥ 10⁹), namespaces fit int16, signatures are
// 86/88-char base64, hashes 43-char base64, account keys 66 hex. Violations throw RpcParseException.
internal sealed class RpcParams(JsonObject json)
{
    internal const long MinMillisecondTimestamp = 1_000_000_000;

    internal JsonObject Json { get; } = json;

    internal bool Has(string name) => Json.ContainsKey(name) && Json[name] is not null;

    /// <summary>The account key: 66 hex (prefix + 32 bytes). Store/retrieve/get_swarm also accept "pubKey".</summary>
    internal (string Hex, byte[] Key) Account(bool allowAlias)
    {
        bool has = Has("pubkey"), hasAlias = allowAlias && Has("pubKey");
        if (has && hasAlias) throw new RpcParseException("Cannot specify both 'pubkey' and 'pubKey'");
        if (!has && !hasAlias) throw new RpcParseException("Required field 'pubkey' missing");
        JsonNode node = Json[has ? "pubkey" : "pubKey"]!;
        if (node.GetValueKind() != JsonValueKind.String || !IsHex(node.GetValue<string>(), 66))
            throw new RpcParseException("Pubkey must be 66 hex digits (33 bytes) long");
        string hex = node.GetValue<string>().ToLowerInvariant();
        return (hex, Convert.FromHexString(hex));
    }

    /// <summary>Optional pubkey_ed25519, only allowed for 05 accounts.</summary>
    internal byte[]? PubkeyEd25519(byte[] account)
    {
        if (!Has("pubkey_ed25519")) return null;
        if (account[0] != 0x05) throw new RpcParseException("pubkey_ed25519 is only permitted for 05[...] pubkeys");
        string? hex = String("pubkey_ed25519");
        if (hex is null || !IsHex(hex, 64)) throw new RpcParseException("Invalid pubkey_ed25519: expected 64 hex digits");
        return Convert.FromHexString(hex);
    }

    /// <summary>Optional Ed25519 signature: 86 unpadded or 88 ("==") base64 characters.</summary>
    internal byte[]? Signature(string name = "signature")
    {
        if (!Has(name)) return null;
        string? text = String(name);
        byte[]? sig = text is null ? null : DecodeSignature(text);
        return sig ?? throw new RpcParseException($"invalid {name}: expected base64 encoded Ed25519 signature");
    }

    /// <summary>An unsigned integer millisecond timestamp (≥ 10⁹ ms); null when optional and absent.</summary>
    internal long? Timestamp(string name, bool required)
    {
        if (!Has(name))
            return required ? throw new RpcParseException($"Required field '{name}' missing") : null;
        JsonNode node = Json[name]!;
        if (node.GetValueKind() != JsonValueKind.Number || !node.AsValue().TryGetValue(out long value) || value < 0)
            throw new RpcParseException($"Invalid value given for '{name}': expected unsigned integer timestamp");
        if (value < MinMillisecondTimestamp)
            throw new RpcParseException($"Invalid timestamp for '{name}': timestamp is in seconds, not milliseconds");
        return value;
    }

    /// <summary>An unsigned integer, or (for store's timestamp/ttl) a decimal string.</summary>
    internal long? IntegerOrDecimalString(string name, bool required)
    {
        if (!Has(name))
            return required ? throw new RpcParseException($"Required field '{name}' missing") : null;
        JsonNode node = Json[name]!;
        if (node.GetValueKind() == JsonValueKind.Number && node.AsValue().TryGetValue(out long n) && n >= 0) return n;
        if (node.GetValueKind() == JsonValueKind.String
            && long.TryParse(node.GetValue<string>(), NumberStyles.None, CultureInfo.InvariantCulture, out long s))
            return s;
        throw new RpcParseException($"Invalid value given for '{name}': expected unsigned integer");
    }

    /// <summary>A namespace in int16 range (default 0); with <paramref name="allowAll"/>, "all" gives null.</summary>
    internal int? Namespace(bool allowAll)
    {
        if (!Has("namespace")) return 0;
        JsonNode node = Json["namespace"]!;
        if (allowAll && node.GetValueKind() == JsonValueKind.String && node.GetValue<string>() == "all") return null;
        if (node.GetValueKind() != JsonValueKind.Number || !node.AsValue().TryGetValue(out long ns))
            throw new RpcParseException("Invalid value given for 'namespace': expected integer" + (allowAll ? " or \"all\"" : ""));
        if (ns is < short.MinValue or > short.MaxValue)
            throw new RpcParseException("Invalid namespace: namespace must be in [-32768, 32767]");
        return (int)ns;
    }

    internal long? Integer(string name)
    {
        if (!Has(name)) return null;
        JsonNode node = Json[name]!;
        if (node.GetValueKind() != JsonValueKind.Number || !node.AsValue().TryGetValue(out long value))
            throw new RpcParseException($"Invalid value given for '{name}': expected integer");
        return value;
    }

    internal bool Bool(string name)
    {
        if (!Has(name)) return false;
        JsonValueKind kind = Json[name]!.GetValueKind();
        if (kind is not (JsonValueKind.True or JsonValueKind.False))
            throw new RpcParseException($"Invalid value given for '{name}': expected boolean");
        return kind == JsonValueKind.True;
    }

    internal string? String(string name)
    {
        if (!Has(name)) return null;
        JsonNode node = Json[name]!;
        if (node.GetValueKind() != JsonValueKind.String)
            throw new RpcParseException($"Invalid value given for '{name}': expected string");
        return node.GetValue<string>();
    }

    /// <summary>An optional last_hash (alias lastHash); "" means absent.</summary>
    internal string? LastHash()
    {
        string? hash = String(Has("last_hash") ? "last_hash" : "lastHash");
        if (string.IsNullOrEmpty(hash)) return null;
        if (!IsMessageHash(hash)) throw new RpcParseException("Invalid last_hash: expected base64 (43 chars)");
        return hash;
    }

    /// <summary>A non-empty list of message hashes (a single string is accepted as a list of one).</summary>
    internal List<string> MessageHashes(string name = "messages")
    {
        if (!Has(name)) throw new RpcParseException($"Required field '{name}' missing");
        JsonNode node = Json[name]!;
        var hashes = new List<string>();
        if (node.GetValueKind() == JsonValueKind.String)
            hashes.Add(node.GetValue<string>());
        else if (node is JsonArray array)
        {
            foreach (JsonNode? item in array)
            {
                if (item is null || item.GetValueKind() != JsonValueKind.String)
                    throw new RpcParseException($"Invalid value given for '{name}': expected list of message hashes");
                hashes.Add(item.GetValue<string>());
            }
        }
        else
            throw new RpcParseException($"Invalid value given for '{name}': expected list of message hashes");
        if (hashes.Count == 0) throw new RpcParseException($"{name} must be a non-empty list");
        foreach (string h in hashes)
            if (!IsMessageHash(h)) throw new RpcParseException($"invalid message hash: {h}");
        return hashes;
    }

    /// <summary>Optional subaccount token (36 bytes as 48 base64 or 72 hex) with its subaccount_sig (§4.6).</summary>
    internal SubaccountToken? Subaccount()
    {
        if (!Has("subaccount"))
            return Has("subaccount_sig") ? throw new RpcParseException("subaccount_sig given without subaccount") : null;
        byte[] token = ParseToken(String("subaccount")!) ?? throw new RpcParseException("Invalid subaccount: expected 36-byte token (48 base64 or 72 hex)");
        byte[] sig = Signature("subaccount_sig") ?? throw new RpcParseException("Required field 'subaccount_sig' missing");
        return new SubaccountToken(token, sig);
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
