using System.Text.Json.Nodes;
using SessionInterop.Crypto;

namespace SessionInterop.LocalNet.Storage;

// store and retrieve (§4.4.1, §4.4.2).
internal sealed partial class StorageRpc
{
    internal const int MaxDataBase64 = 102_400;
    internal const long TtlMinimum = 10_000;
    internal const long TtlMaximum = 14L * 24 * 3600 * 1000;
    internal const long TtlMaximumPrivate = 30L * 24 * 3600 * 1000;
    internal const long StoreTolerance = 10_000;
    internal const long SignatureTolerance = 60_000;
    internal const long RetrieveMaxSize = 7_800_000;

    private Func<RpcResult> PrepareStore(RpcParams p)
    {
        (string hex, byte[] account) = p.Account(allowAlias: true);
        long timestamp = p.IntegerOrDecimalString("timestamp", required: true)!.Value;
        bool hasTtl = p.Has("ttl"), hasExpiry = p.Has("expiry");
        if (hasTtl == hasExpiry) throw new RpcParseException("store: exactly one of 'ttl' or 'expiry' is required");
        long expiry = hasTtl ? timestamp + p.IntegerOrDecimalString("ttl", required: true)!.Value : p.Timestamp("expiry", required: true)!.Value;
        string data64 = p.String("data") ?? throw new RpcParseException("Required field 'data' missing");
        if (data64.Length > MaxDataBase64)
            throw new RpcParseException("Message body exceeds maximum allowed length of 76800 bytes");
        if (!RpcParams.TryBase64(data64, out byte[] data))
            throw new RpcParseException("Invalid 'data' value: not base64 encoded");
        int ns = p.Namespace(allowAll: false)!.Value;
        byte[]? signature = p.Signature();
        byte[]? ed = p.PubkeyEd25519(account);
        long? sigTimestamp = p.Timestamp("sig_timestamp", required: false);
        SubaccountToken? sub = p.Subaccount();

        return () =>
        {
            if (Misdirected(hex, account, out ulong swarmId) is { } wrong) return wrong;
            long now = Now;
            long ttl = expiry - timestamp;
            if (ttl < TtlMinimum || ttl > (Namespaces.IsPublicInbox(ns) ? TtlMaximum : TtlMaximumPrivate))
                return RpcResult.Error(403, "Provided expiry/TTL is not valid.");
            if (timestamp > now + StoreTolerance || expiry < now - StoreTolerance)
                return RpcResult.Error(406, "Timestamp error: check your clock");
            if (!Namespaces.IsPublicInbox(ns))
            {
                if (signature is null)
                    return RpcResult.Error(401, $"store: signature required to store to namespace {ns}");
                long sigTs = sigTimestamp ?? timestamp;
                if (Abs(sigTs - now) > SignatureTolerance)
                    return RpcResult.Error(406, "store signature timestamp too far from current time");
                if (!Authorized(swarmId, hex, account, ed, signature, $"store{Namespaces.SigText(ns)}{sigTs}", sub, Namespaces.IsPublicOutbox(ns) ? SubaccountAccess.Write | SubaccountAccess.Delete : SubaccountAccess.Write))
                    return RpcResult.Error(401, "store signature verification failed");
            }

            string hash = StorageMessageHash.Compute(account, ns, data);
            (bool already, long kept) = state.Store(swarmId).Store(hex, ns, hash, timestamp, expiry, data,
                replaceNamespace: Namespaces.IsPublicOutbox(ns), now);
            JsonObject swarm = ForEachMember(member =>
            {
                var entry = new JsonObject
                {
                    ["hash"] = hash,
                    ["signature"] = member.Sign(System.Text.Encoding.ASCII.GetBytes(hash)),
                    ["expiry"] = kept,
                };
                if (already) entry["already"] = true;
                if (member == node) entry["t"] = now;
                return entry;
            });
            return RpcResult.Ok(Decorate(new JsonObject { ["swarm"] = swarm, ["hash"] = hash }));
        };
    }

    private Func<RpcResult> PrepareRetrieve(RpcParams p)
    {
        (string hex, byte[] account) = p.Account(allowAlias: true);
        int ns = p.Namespace(allowAll: false)!.Value;
        string? lastHash = p.LastHash();
        long maxCount = p.Integer("max_count") ?? 0;
        long maxSize = p.Integer("max_size") ?? 0;
        long? timestamp = p.Timestamp("timestamp", required: false);
        byte[]? signature = p.Signature();
        byte[]? ed = p.PubkeyEd25519(account);
        SubaccountToken? sub = p.Subaccount();

        return () =>
        {
            if (Misdirected(hex, account, out ulong swarmId) is { } wrong) return wrong;
            long now = Now;
            bool authGiven = signature is not null || ed is not null || timestamp is not null;
            if (authGiven || !Namespaces.RetrieveNeedsNoAuth(ns))
            {
                if (signature is null || timestamp is null)
                    return RpcResult.Error(401, "retrieve: request signature required");
                if (Abs(timestamp.Value - now) > SignatureTolerance)
                    return RpcResult.Error(406, "retrieve timestamp too far from current time");
                if (!Authorized(swarmId, hex, account, ed, signature, $"retrieve{Namespaces.SigText(ns)}{timestamp}", sub, SubaccountAccess.Read, ignoreRevocation: Namespaces.IsUnrevocable(ns)))
                    return RpcResult.Error(401, "retrieve signature verification failed");
            }

            long sizeLimit = maxSize switch
            {
                < 0 => RetrieveMaxSize / -maxSize,
                0 when maxCount == 0 => RetrieveMaxSize / 5,
                0 => long.MaxValue,
                _ => Math.Min(maxSize, RetrieveMaxSize),
            };
            var messages = new JsonArray();
            long used = 0;
            bool more = false;
            foreach (StoredMessage m in state.Store(swarmId).List(hex, ns, lastHash, now))
            {
                long size = 100 + m.Hash.Length + m.Data.Length * 4L / 3;
                if (messages.Count > 0 && ((maxCount > 0 && messages.Count >= maxCount) || used + size > sizeLimit))
                {
                    more = true;
                    break;
                }
                used += size;
                messages.Add((JsonNode)new JsonObject
                {
                    ["hash"] = m.Hash,
                    ["timestamp"] = m.Timestamp,
                    ["expiration"] = m.Expiry,
                    ["data"] = Convert.ToBase64String(m.Data),
                });
            }
            return RpcResult.Ok(Decorate(new JsonObject { ["messages"] = messages, ["more"] = more }));
        };
    }
}
