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
        string field = revoke ? "revoke" : "unrevoke";
        List<string>? listed = p.Strings(field);
        long? ts = p.Timestamp("timestamp", required: false);
        (string hex, byte[] account) = p.Account(allowAlias: false);
        byte[] signature = p.RequiredSignature();
        byte[]? ed = p.PubkeyEd25519(account);
        List<byte[]> tokens = ParseTokens(listed, field, revoke);
        long timestamp = ts ?? throw new RpcParseException("Required field 'timestamp' missing");

        return () =>
        {
            if (Misdirected(hex, account, out ulong swarmId) is { } wrong) return wrong;
            if (Abs(timestamp - Now) > SignatureTolerance)
                return RpcResult.Error(406, $"{method} timestamp too far from current time");
            string ts = timestamp.ToString(CultureInfo.InvariantCulture);
            byte[] signed = [.. Encoding.ASCII.GetBytes(method + ts), .. tokens.SelectMany(t => t)];
            if (!RequestSignature.Verify(account, ed, signature, signed))
                return RpcResult.Error(401, $"{method} signature verification failed");

            int count = 0;
            if (revoke) Local.Revoke(hex, tokens);
            else count = Local.Unrevoke(hex, tokens);
            OnOtherMembers(peer =>
            {
                if (revoke) peer.Revoke(hex, tokens);
                else peer.Unrevoke(hex, tokens);
            });
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
        long? ts = p.Timestamp("timestamp", required: false);
        (string hex, byte[] account, byte[] signature, byte[]? ed, _) = SignedAccount(p);
        long timestamp = ts ?? throw new RpcParseException("Required field 'timestamp' missing");

        return () =>
        {
            if (Misdirected(hex, account, out ulong swarmId) is { } wrong) return wrong;
            if (Abs(timestamp - Now) > SignatureTolerance)
                return RpcResult.Error(406, "revoked_subaccounts timestamp too far from current time");
            if (!RequestSignature.Verify(account, ed, signature, $"revoked_subaccounts{timestamp}"))
                return RpcResult.Error(401, "revoked_subaccounts signature verification failed");
            var list = new JsonArray(Local.Revoked(hex).Select(t => (JsonNode)Convert.ToBase64String(t)).ToArray());
            return RpcResult.Ok(Decorate(new JsonObject { ["revoked"] = list }));
        };
    }

    /// <summary>Tokens (48 base64 or 72 hex each); at most 50 per revoke.</summary>
    private static List<byte[]> ParseTokens(List<string>? listed, string field, bool revoke)
    {
        if (listed is null) throw new RpcParseException($"Required field '{field}' missing");
        if (revoke && listed.Count > MaxTokensPerRequest)
            throw new RpcParseException($"invalid revoke: cannot revoke more than {MaxTokensPerRequest} subaccounts at once");
        return listed.Select(t => RpcParams.ParseToken(t)
            ?? throw new RpcParseException($"invalid {field}: expected base64 or hex-encoded subaccount tag")).ToList();
    }
}
