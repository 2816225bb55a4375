using System.Text;
using System.Text.Json.Nodes;

namespace SessionInterop.LocalNet.Storage;

// delete, delete_all, delete_before (§4.4.3–4.4.5). Each answer carries, per swarm member, the
// deleted hashes and that member's signature over them.
internal sealed partial class StorageRpc
{
    private Func<RpcResult> PrepareDelete(RpcParams p)
    {
        List<string>? listed = p.Strings("messages");
        bool required = p.Bool("required");
        (string hex, byte[] account, byte[] signature, byte[]? ed, SubaccountToken? sub) = SignedAccount(p);
        List<string> hashes = listed ?? throw new RpcParseException("Required field 'messages' missing");
        if (hashes.Count == 0) throw new RpcParseException("messages does not contain any message hashes");
        RpcParams.CheckHashes(hashes);

        return () =>
        {
            if (Misdirected(hex, account, out ulong swarmId) is { } wrong) return wrong;
            if (!Authorized(swarmId, hex, account, ed, signature, "delete" + string.Concat(hashes), sub, SubaccountAccess.Delete))
                return RpcResult.Error(401, "delete_msgs signature verification failed");
            var wanted = hashes.ToHashSet(StringComparer.Ordinal);
            long now = Now;
            List<StoredMessage> Victims(MessageStore store) => store.All(hex, null, now).Where(m => wanted.Contains(m.Hash)).ToList();
            var victims = Victims(Local);
            Local.Delete(victims);
            OnOtherMembers(peer => peer.Delete(Victims(peer)));
            List<string> deleted = victims.Select(m => m.Hash).Order(StringComparer.Ordinal).ToList();
            string signed = hex + string.Concat(hashes) + string.Concat(deleted);
            JsonObject swarm = ForEachMember(member => new JsonObject
            {
                ["deleted"] = new JsonArray(deleted.Select(h => (JsonNode)h).ToArray()),
                ["signature"] = member.Sign(Encoding.ASCII.GetBytes(signed)),
            });
            return new RpcResult(required && deleted.Count == 0 ? 404 : 200, Decorate(new JsonObject { ["swarm"] = swarm }), null);
        };
    }

    private Func<RpcResult> PrepareDeleteAll(RpcParams p)
    {
        int? ns = p.Namespace(allowAll: true);
        long? ts = p.Timestamp("timestamp", required: false);
        (string hex, byte[] account, byte[] signature, byte[]? ed, SubaccountToken? sub) = SignedAccount(p);
        long timestamp = ts ?? throw new RpcParseException("Required field 'timestamp' missing");

        return () =>
        {
            if (Misdirected(hex, account, out ulong swarmId) is { } wrong) return wrong;
            long now = Now;
            if (Abs(timestamp - now) > SignatureTolerance)
                return RpcResult.Error(406, "delete_all timestamp too far from current time");
            if (!Authorized(swarmId, hex, account, ed, signature, $"delete_all{Namespaces.SigText(ns)}{timestamp}", sub, SubaccountAccess.Delete))
                return RpcResult.Error(401, "delete_all signature verification failed");
            List<StoredMessage> victims = Local.All(hex, ns, now);
            Local.Delete(victims);
            OnOtherMembers(peer => peer.Delete(peer.All(hex, ns, now)));
            return RpcResult.Ok(Decorate(new JsonObject { ["swarm"] = AffectedPerMember("deleted", hex, timestamp, ns, victims) }));
        };
    }

    private Func<RpcResult> PrepareDeleteBefore(RpcParams p)
    {
        long? beforeField = p.Timestamp("before", required: false);
        int? ns = p.Namespace(allowAll: true);
        (string hex, byte[] account, byte[] signature, byte[]? ed, SubaccountToken? sub) = SignedAccount(p);
        long before = beforeField ?? throw new RpcParseException("Required field 'before' missing");

        return () =>
        {
            if (Misdirected(hex, account, out ulong swarmId) is { } wrong) return wrong;
            long now = Now;
            if (before > now + SignatureTolerance)
                return RpcResult.Error(401, "delete_before timestamp too far in the future");
            if (!Authorized(swarmId, hex, account, ed, signature, $"delete_before{Namespaces.SigText(ns)}{before}", sub, SubaccountAccess.Delete))
                return RpcResult.Error(401, "delete_before signature verification failed");
            List<StoredMessage> Victims(MessageStore store) => store.All(hex, ns, now).Where(m => m.Timestamp <= before).ToList();
            var victims = Victims(Local);
            Local.Delete(victims);
            OnOtherMembers(peer => peer.Delete(Victims(peer)));
            return RpcResult.Ok(Decorate(new JsonObject { ["swarm"] = AffectedPerMember("deleted", hex, before, ns, victims) }));
        };
    }

    /// <summary>Per member: <paramref name="key"/> (a sorted list, or {ns: list} for "all") and a signature over pubkey || value || sorted hashes.</summary>
    private JsonObject AffectedPerMember(string key, string hex, long timestamp, int? ns, List<StoredMessage> victims)
    {
        List<string> sorted = victims.Select(m => m.Hash).Order(StringComparer.Ordinal).ToList();
        string signed = hex + timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) + string.Concat(sorted);
        return ForEachMember(member =>
        {
            JsonNode deleted;
            if (ns is null)
            {
                var byNs = new JsonObject();
                foreach (IGrouping<int, StoredMessage> g in victims.GroupBy(m => m.Namespace).OrderBy(g => g.Key))
                    byNs[g.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)] =
                        new JsonArray(g.Select(m => m.Hash).Order(StringComparer.Ordinal).Select(h => (JsonNode)h).ToArray());
                deleted = byNs;
            }
            else
                deleted = new JsonArray(sorted.Select(h => (JsonNode)h).ToArray());
            return new JsonObject { [key] = deleted, ["signature"] = member.Sign(Encoding.ASCII.GetBytes(signed)) };
        });
    }
}
