using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SessionInterop.LocalNet.Storage;

// expire, expire_all, get_expiries (§4.4.6–4.4.8).
internal sealed partial class StorageRpc
{
    private Func<RpcResult> PrepareExpire(RpcParams p)
    {
        (string hex, byte[] account) = p.Account(allowAlias: false);
        List<string> hashes = p.MessageHashes();
        List<long> expiries = ParseExpiries(p, hashes.Count);
        bool shorten = p.Bool("shorten"), extend = p.Bool("extend");
        if (shorten && extend) throw new RpcParseException("Cannot specify both 'shorten' and 'extend'");
        byte[] signature = p.Signature() ?? throw new RpcParseException("Required field 'signature' missing");
        byte[]? ed = p.PubkeyEd25519(account);
        SubaccountToken? sub = p.Subaccount();

        return () =>
        {
            if (Misdirected(hex, account, out ulong swarmId) is { } wrong) return wrong;
            long now = Now;
            if (expiries.Any(e => e < now - SignatureTolerance))
                return RpcResult.Error(401, "expire: timestamp should be >= current time");
            string mode = shorten ? "shorten" : extend ? "extend" : "";
            string expiryText = string.Concat(expiries.Select(e => e.ToString(CultureInfo.InvariantCulture)));
            if (!Authorized(swarmId, hex, account, ed, signature, "expire" + mode + expiryText + string.Concat(hashes), sub, shorten ? SubaccountAccess.Write | SubaccountAccess.Delete : SubaccountAccess.Write))
                return RpcResult.Error(401, "expire signature verification failed");

            MessageStore store = state.Store(swarmId);
            var byHash = store.All(hex, null, now).ToDictionary(m => m.Hash, StringComparer.Ordinal);
            var updated = new List<string>();
            var unchanged = new SortedDictionary<string, long>(StringComparer.Ordinal);
            for (int i = 0; i < hashes.Count; i++)
            {
                if (!byHash.TryGetValue(hashes[i], out StoredMessage? m)) continue;
                long target = Math.Min(expiries[expiries.Count == 1 ? 0 : i], now + TtlMaximumPrivate); // silently capped
                if ((shorten && target >= m.Expiry) || (extend && target <= m.Expiry))
                {
                    unchanged[m.Hash] = m.Expiry;
                    continue;
                }
                store.SetExpiry(m, target);
                updated.Add(m.Hash);
            }
            updated.Sort(StringComparer.Ordinal);
            string signed = hex + expiryText + string.Concat(hashes) + string.Concat(updated)
                + string.Concat(unchanged.Select(kv => kv.Key + kv.Value.ToString(CultureInfo.InvariantCulture)));
            JsonObject swarm = ForEachMember(member =>
            {
                var entry = new JsonObject
                {
                    ["updated"] = new JsonArray(updated.Select(h => (JsonNode)h).ToArray()),
                    ["expiry"] = p.Json["expiry"] is not JsonArray
                        ? JsonValue.Create(expiries[0])
                        : new JsonArray(expiries.Select(e => (JsonNode)e).ToArray()),
                    ["signature"] = member.Sign(Encoding.ASCII.GetBytes(signed)),
                };
                if (shorten || extend)
                {
                    var u = new JsonObject();
                    foreach (KeyValuePair<string, long> kv in unchanged) u[kv.Key] = kv.Value;
                    entry["unchanged"] = u;
                }
                return entry;
            });
            return RpcResult.Ok(Decorate(new JsonObject { ["swarm"] = swarm }));
        };
    }

    /// <summary>"expiry": one timestamp, or an array with one timestamp per message.</summary>
    private static List<long> ParseExpiries(RpcParams p, int messageCount)
    {
        if (p.Json["expiry"] is JsonArray array)
        {
            if (array.Count != messageCount)
                throw new RpcParseException("expiry array must have the same length as messages");
            var list = new List<long>();
            foreach (JsonNode? item in array)
            {
                if (item is null || item.GetValueKind() != JsonValueKind.Number || !item.AsValue().TryGetValue(out long v)
                    || v < RpcParams.MinMillisecondTimestamp)
                    throw new RpcParseException("Invalid value given for 'expiry': expected millisecond timestamps");
                list.Add(v);
            }
            return list;
        }
        return [p.Timestamp("expiry", required: true)!.Value];
    }

    private Func<RpcResult> PrepareExpireAll(RpcParams p)
    {
        (string hex, byte[] account) = p.Account(allowAlias: false);
        int? ns = p.Namespace(allowAll: true);
        long expiry = p.Timestamp("expiry", required: true)!.Value;
        byte[] signature = p.Signature() ?? throw new RpcParseException("Required field 'signature' missing");
        byte[]? ed = p.PubkeyEd25519(account);
        SubaccountToken? sub = p.Subaccount();

        return () =>
        {
            if (Misdirected(hex, account, out ulong swarmId) is { } wrong) return wrong;
            long now = Now;
            if (expiry < now - SignatureTolerance)
                return RpcResult.Error(406, "expire_all timestamp should be >= current time");
            if (!Authorized(swarmId, hex, account, ed, signature, $"expire_all{Namespaces.SigText(ns)}{expiry}", sub, SubaccountAccess.Delete))
                return RpcResult.Error(401, "expire_all signature verification failed");
            MessageStore store = state.Store(swarmId);
            var shortened = store.All(hex, ns, now).Where(m => m.Expiry > expiry).ToList();
            foreach (StoredMessage m in shortened) store.SetExpiry(m, expiry);
            List<string> updated = shortened.Select(m => m.Hash).Order(StringComparer.Ordinal).ToList();
            string signed = hex + expiry.ToString(CultureInfo.InvariantCulture) + string.Concat(updated);
            JsonObject swarm = ForEachMember(member => new JsonObject
            {
                ["updated"] = new JsonArray(updated.Select(h => (JsonNode)h).ToArray()),
                ["signature"] = member.Sign(Encoding.ASCII.GetBytes(signed)),
            });
            return RpcResult.Ok(Decorate(new JsonObject { ["swarm"] = swarm }));
        };
    }

    private Func<RpcResult> PrepareGetExpiries(RpcParams p)
    {
        (string hex, byte[] account) = p.Account(allowAlias: false);
        List<string> hashes = p.MessageHashes();
        long timestamp = p.Timestamp("timestamp", required: true)!.Value;
        byte[] signature = p.Signature() ?? throw new RpcParseException("Required field 'signature' missing");
        byte[]? ed = p.PubkeyEd25519(account);
        SubaccountToken? sub = p.Subaccount();

        return () =>
        {
            if (Misdirected(hex, account, out ulong swarmId) is { } wrong) return wrong;
            long now = Now;
            if (Abs(timestamp - now) > SignatureTolerance)
                return RpcResult.Error(406, "get_expiries timestamp too far from current time");
            if (!Authorized(swarmId, hex, account, ed, signature, $"get_expiries{timestamp}" + string.Concat(hashes), sub, SubaccountAccess.Read))
                return RpcResult.Error(401, "get_expiries signature verification failed");
            var wanted = hashes.ToHashSet(StringComparer.Ordinal);
            var expiries = new JsonObject();
            foreach (StoredMessage m in state.Store(swarmId).All(hex, null, now).Where(m => wanted.Contains(m.Hash)))
                expiries[m.Hash] = m.Expiry;
            return RpcResult.Ok(new JsonObject { ["expiries"] = expiries }); // no t/hf (§4.1)
        };
    }
}
