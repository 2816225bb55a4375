using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SessionInterop.LocalNet.Storage;

// revoke_subaccount, unrevoke_subaccount, revoked_subaccounts (§4.4.9). Only the account key may
// sign these (no subaccount); the signed string ends with the raw 36-byte tokens.
internal sealed partial class StorageRpc
{
    internal const int MaxTokensPerRequest = 50;

    private Func<RpcResult> PrepareRevoke(RpcParams p, bool revoke)
    {
        string method = revoke ? "revoke_subaccount" : "unrevoke_subaccount";
        (string hex, byte[] account) = p.Account(allowAlias: false);
        List<byte[]> tokens = ParseTokens(p, revoke ? "revoke" : "unrevoke");
        long timestamp = p.Timestamp("timestamp", required: true)!.Value;
        byte[] signature = p.Signature() ?? throw new RpcParseException("Required field 'signature' missing");
        byte[]? ed = p.PubkeyEd25519(account);
        if (p.Has("subaccount")) throw new RpcParseException($"{method} cannot be authorized by a subaccount");

        return () =>
        {
            if (Misdirected(hex, account, out ulong swarmId) is { } wrong) return wrong;
            if (Abs(timestamp - Now) > SignatureTolerance)
                return RpcResult.Error(406, $"{method} timestamp too far from current time");
            string ts = timestamp.ToString(CultureInfo.InvariantCulture);
            byte[] signed = [.. Encoding.ASCII.GetBytes(method + ts), .. tokens.SelectMany(t => t)];
            if (!RequestSignature.Verify(account, ed, signature, signed))
                return RpcResult.Error(401, $"{method} signature verification failed");

            MessageStore store = state.Store(swarmId);
            int count = 0;
            if (revoke) store.Revoke(hex, tokens);
            else count = store.Unrevoke(hex, tokens);
            byte[] nodeSigned = [.. Encoding.ASCII.GetBytes(hex + ts), .. tokens.SelectMany(t => t)];
            JsonObject swarm = ForEachMember(member =>
            {
                var entry = new JsonObject { ["signature"] = member.Sign(nodeSigned) };
                if (!revoke) entry["count"] = count;
                return entry;
            });
            return RpcResult.Ok(Decorate(new JsonObject { ["swarm"] = swarm }));
        };
    }

    private Func<RpcResult> PrepareRevokedList(RpcParams p)
    {
        (string hex, byte[] account) = p.Account(allowAlias: false);
        long timestamp = p.Timestamp("timestamp", required: true)!.Value;
        byte[] signature = p.Signature() ?? throw new RpcParseException("Required field 'signature' missing");
        byte[]? ed = p.PubkeyEd25519(account);

        return () =>
        {
            if (Misdirected(hex, account, out ulong swarmId) is { } wrong) return wrong;
            if (Abs(timestamp - Now) > SignatureTolerance)
                return RpcResult.Error(406, "revoked_subaccounts timestamp too far from current time");
            if (!RequestSignature.Verify(account, ed, signature, $"revoked_subaccounts{timestamp}"))
                return RpcResult.Error(401, "revoked_subaccounts signature verification failed");
            var list = new JsonArray(state.Store(swarmId).Revoked(hex).Select(t => (JsonNode)Convert.ToBase64String(t)).ToArray());
            return RpcResult.Ok(Decorate(new JsonObject { ["revoked"] = list }));
        };
    }

    /// <summary>One token or a list of 1–50 tokens, each 48 base64 or 72 hex characters.</summary>
    private static List<byte[]> ParseTokens(RpcParams p, string name)
    {
        if (!p.Has(name)) throw new RpcParseException($"Required field '{name}' missing");
        JsonNode node = p.Json[name]!;
        IEnumerable<JsonNode?> items = node is JsonArray array ? array : new JsonNode?[] { node };
        var tokens = new List<byte[]>();
        foreach (JsonNode? item in items)
        {
            if (item is null || item.GetValueKind() != JsonValueKind.String || RpcParams.ParseToken(item.GetValue<string>()) is not { } token)
                throw new RpcParseException($"Invalid value given for '{name}': expected 36-byte subaccount tokens");
            tokens.Add(token);
        }
        if (tokens.Count is 0 or > MaxTokensPerRequest)
            throw new RpcParseException($"'{name}' must contain 1-{MaxTokensPerRequest} tokens");
        return tokens;
    }
}
