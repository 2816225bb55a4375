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
        List<long>? requested = ParseExpiries(p);
        bool extend = p.Bool("extend");
        List<string>? listed = p.Strings("messages");
        bool shorten = p.Bool("shorten");
        (string hex, byte[] account, byte[] signature, byte[]? ed, SubaccountToken? sub) = SignedAccount(p);
        if (requested is null) throw new RpcParseException("Required field 'expiry' missing");
        if (requested.Count == 0) throw new RpcParseException("'expiry' does not contain any expiration timestamps");
        if (shorten && extend) throw new RpcParseException("cannot specify both 'shorten' and 'extend'");
        List<string> hashes = listed ?? throw new RpcParseException("Required field 'messages' missing");
        if (hashes.Count == 0) throw new RpcParseException("messages does not contain any message hashes");
        if (requested.Count > 1 && requested.Count != hashes.Count)
            throw new RpcParseException("'expiry' must be a single expiry, or the same length as 'messages'");
        RpcParams.CheckHashes(hashes);

        return () =>
        {
            if (Misdirected(hex, account, out ulong swarmId) is { } wrong) return wrong;
            long now = Now;
            if (requested.Any(e => e < now - SignatureTolerance))
                return RpcResult.Error(401, "expire: timestamp should be >= current time");
            List<long> capped = requested.Select(e => Math.Min(e, now + TtlMaximumPrivate)).ToList(); // silently capped
            string mode = shorten ? "shorten" : extend ? "extend" : "";
            string requestedText = string.Concat(requested.Select(e => e.ToString(CultureInfo.InvariantCulture)));
            if (!Authorized(swarmId, hex, account, ed, signature, "expire" + mode + requestedText + string.Concat(hashes), sub, SubaccountAccess.Write))
                return RpcResult.Error(401, "expire: signature verification failed");

            // A subaccount without Delete may only extend (shortening is almost deleting).
            bool extendOnly = extend;
            if (sub is not null && !sub.Flags.HasFlag(SubaccountAccess.Delete))
            {
                if (shorten)
                    return RpcResult.Error(400, "expire: shorten parameter cannot be used with this subaccount token (missing delete access)");
                extendOnly = true;
            }

            List<(string Hash, long Expiry)> Apply(MessageStore store)
            {
                var byHash = store.All(hex, null, now).ToDictionary(m => m.Hash, StringComparer.Ordinal);
                var changed = new List<(string Hash, long Expiry)>();
                for (int i = 0; i < hashes.Count; i++)
                {
                    if (!byHash.Remove(hashes[i], out StoredMessage? m)) continue;
                    long target = capped[capped.Count == 1 ? 0 : i];
                    if ((extendOnly && target <= m.Expiry) || (shorten && target >= m.Expiry)) continue;
                    store.SetExpiry(m, target);
                    changed.Add((m.Hash, target));
                }
                return changed;
            }
            MessageStore store = Local;
            List<(string Hash, long Expiry)> updated = Apply(store);
            OnOtherMembers(peer => Apply(peer));
            updated.Sort((a, b) => string.CompareOrdinal(a.Hash, b.Hash));

            var unchanged = new SortedDictionary<string, long>(StringComparer.Ordinal);
            if (shorten || extend)
            {
                var updatedSet = updated.Select(u => u.Hash).ToHashSet(StringComparer.Ordinal);
                foreach (StoredMessage m in store.All(hex, null, now).Where(m => hashes.Contains(m.Hash) && !updatedSet.Contains(m.Hash)))
                    unchanged[m.Hash] = m.Expiry;
            }

            // Single expiry: sign and return the applied value; several: those of the updated messages.
            List<long> applied = requested.Count > 1 ? updated.Select(u => u.Expiry).ToList() : [capped[0]];
            string signed = hex + string.Concat(applied.Select(e => e.ToString(CultureInfo.InvariantCulture))) + string.Concat(hashes)
                + string.Concat(updated.Select(u => u.Hash))
                + string.Concat(unchanged.Select(kv => kv.Key + kv.Value.ToString(CultureInfo.InvariantCulture)));
            JsonObject swarm = ForEachMember(member =>
            {
                var entry = new JsonObject
                {
                    ["expiry"] = requested.Count > 1 ? new JsonArray(applied.Select(e => (JsonNode)e).ToArray()) : JsonValue.Create(applied[0]),
                    ["updated"] = new JsonArray(updated.Select(u => (JsonNode)u.Hash).ToArray()),
                };
                if (shorten || extend)
                {
                    var u = new JsonObject();
                    foreach (KeyValuePair<string, long> kv in unchanged) u[kv.Key] = kv.Value;
                    entry["unchanged"] = u;
                }
                entry["signature"] = member.Sign(Encoding.ASCII.GetBytes(signed));
                return entry;
            });
            return RpcResult.Ok(Decorate(new JsonObject { ["swarm"] = swarm }));
        };
    }

    /// <summary>"expiry": one unsigned integer or an array of them (no seconds check, as the server).</summary>
    private static List<long>? ParseExpiries(RpcParams p)
    {
        if (!p.Has("expiry")) return null;
        JsonNode node = p.Json["expiry"]!;
        IEnumerable<JsonNode?> items = node is JsonArray array ? array : new JsonNode?[] { node };
        var list = new List<long>();
        foreach (JsonNode? item in items)
        {
            if (item is null || item.GetValueKind() != JsonValueKind.Number || !item.AsValue().TryGetValue(out long v) || v < 0)
                throw new RpcParseException("Invalid value given for 'expiry': expected timestamp array");
            list.Add(v);
        }
        return list;
    }

    private Func<RpcResult> PrepareExpireAll(RpcParams p)
    {
        long? expiryField = p.Timestamp("expiry", required: false);
        int? ns = p.Namespace(allowAll: true);
        (string hex, byte[] account, byte[] signature, byte[]? ed, SubaccountToken? sub) = SignedAccount(p);
        long expiry = expiryField ?? throw new RpcParseException("Required field 'expiry' missing");

        return () =>
        {
            if (Misdirected(hex, account, out ulong swarmId) is { } wrong) return wrong;
            long now = Now;
            if (expiry < now - SignatureTolerance)
                return RpcResult.Error(406, "expire_all timestamp should be >= current time");
            if (!Authorized(swarmId, hex, account, ed, signature, $"expire_all{Namespaces.SigText(ns)}{expiry}", sub, SubaccountAccess.Delete))
                return RpcResult.Error(401, "expire_all signature verification failed");
            List<StoredMessage> Shorten(MessageStore store)
            {
                var changed = store.All(hex, ns, now).Where(m => m.Expiry > expiry).ToList();
                foreach (StoredMessage m in changed) store.SetExpiry(m, expiry);
                return changed;
            }
            List<StoredMessage> shortened = Shorten(Local);
            OnOtherMembers(peer => Shorten(peer));
            JsonObject swarm = AffectedPerMember("updated", hex, expiry, ns, shortened);
            return RpcResult.Ok(Decorate(new JsonObject { ["swarm"] = swarm }));
        };
    }

    private Func<RpcResult> PrepareGetExpiries(RpcParams p)
    {
        List<string>? listed = p.Strings("messages");
        long? ts = p.Timestamp("timestamp", required: false);
        (string hex, byte[] account, byte[] signature, byte[]? ed, SubaccountToken? sub) = SignedAccount(p);
        long timestamp = ts ?? throw new RpcParseException("Required field 'timestamp' missing");
        List<string> hashes = listed ?? throw new RpcParseException("Required field 'messages' missing");
        if (hashes.Count == 0) throw new RpcParseException("messages does not contain any message hashes");

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
            foreach (StoredMessage m in Local.All(hex, null, now).Where(m => wanted.Contains(m.Hash)))
                expiries[m.Hash] = m.Expiry;
            return RpcResult.Ok(new JsonObject { ["expiries"] = expiries }); // no t/hf (§4.1)
        };
    }
}
