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
        // Field order and texts follow the storage server's parser (SS client_rpc_endpoints.cpp).
        string? data64 = p.String("data");
        long? expiryField = p.Timestamp("expiry", required: false);
        int ns = p.Namespace(allowAll: false)!.Value;
        long? sigTimestamp = p.Timestamp("sig_timestamp", required: false);
        long timestamp = p.IntegerOrDecimalString("timestamp", unsigned: false) ?? throw new RpcParseException("Required field 'timestamp' missing");
        long? ttl = p.IntegerOrDecimalString("ttl", unsigned: true);
        if (expiryField is not null && ttl is not null) throw new RpcParseException("Cannot specify both 'expiry' and 'ttl'");
        long expiry = expiryField ?? (ttl is long t ? timestamp + t : throw new RpcParseException("Required field 'expiry' or 'ttl' missing"));
        (string hex, byte[] account) = p.Account(allowAlias: true);
        byte[]? signature = p.Signature();
        byte[]? ed = signature is null ? null : p.PubkeyEd25519(account);
        SubaccountToken? sub = signature is null ? null : p.Subaccount();
        if (data64 is null) throw new RpcParseException("Required field 'data' missing");
        if (!TryBase64Lenient(data64, out byte[] data))
            throw new RpcParseException("Invalid 'data' value: not base64 encoded");
        if (data64.Length > MaxDataBase64)
            throw new RpcParseException("Message body exceeds maximum allowed length of 76800 bytes");

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
            bool replace = Namespaces.IsPublicOutbox(ns);
            (bool already, long kept) = Local.Store(hex, ns, hash, timestamp, expiry, data, replace, now);
            if (!already)
                state.Replication.ToPeers(state.Swarms, node, peer => peer.Store(hex, ns, hash, timestamp, expiry, data, replace, now));
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
        long maxCount = p.Integer("max_count") ?? 0;
        long maxSize = p.Integer("max_size") ?? 0;
        bool nsGiven = p.Has("namespace");
        int ns = p.Namespace(allowAll: false)!.Value;
        bool edGiven = p.Has("pubkey_ed25519");
        long? timestamp = p.Timestamp("timestamp", required: false);
        (string hex, byte[] account) = p.Account(allowAlias: true);

        // The server parses a signature whenever any auth field is present or the namespace was
        // given explicitly and is not a no-auth one; an omitted namespace (0) fails later with 401.
        bool checkSignature = edGiven || p.Has("signature") || timestamp is not null || (nsGiven && !Namespaces.RetrieveNeedsNoAuth(ns));
        byte[]? signature = null;
        byte[]? ed = null;
        SubaccountToken? sub = null;
        if (checkSignature)
        {
            signature = p.RequiredSignature();
            ed = p.PubkeyEd25519(account);
            sub = p.Subaccount();
            if (timestamp is null) throw new RpcParseException("Required field 'timestamp' missing");
        }
        string? lastHash = p.LastHash();

        return () =>
        {
            if (Misdirected(hex, account, out ulong swarmId) is { } wrong) return wrong;
            long now = Now;
            if (!Namespaces.RetrieveNeedsNoAuth(ns) && !checkSignature)
                return RpcResult.Error(401, "retrieve: request signature required");
            if (checkSignature)
            {
                if (Abs(timestamp!.Value - now) > SignatureTolerance)
                    return RpcResult.Error(406, "retrieve timestamp too far from current time");
                if (!Authorized(swarmId, hex, account, ed, signature!, $"retrieve{Namespaces.SigText(ns)}{timestamp}", sub, SubaccountAccess.Read, ignoreRevocation: Namespaces.IsUnrevocable(ns)))
                    return RpcResult.Error(401, "retrieve signature verification failed");
            }

            // 0 = unset; both unset = -5; negative -k = max/k; unset or too big = max.
            long sizeLimit = maxSize switch
            {
                < 0 => RetrieveMaxSize / -maxSize,
                0 when maxCount <= 0 => RetrieveMaxSize / 5,
                _ => maxSize == 0 ? RetrieveMaxSize : Math.Min(maxSize, RetrieveMaxSize),
            };
            var messages = new JsonArray();
            long used = 0;
            bool more = false;
            foreach (StoredMessage m in Local.List(hex, ns, lastHash, now))
            {
                long size = 100 + m.Hash.Length + m.Data.Length * 4L / 3;
                if ((maxCount > 0 && messages.Count >= maxCount) || (messages.Count > 0 && used + size > sizeLimit))
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

    /// <summary>Base64 with or without "=" padding (the server accepts both).</summary>
    private static bool TryBase64Lenient(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length % 4 == 1) return false;
        return RpcParams.TryBase64(text.Length % 4 == 0 ? text : text + new string('=', 4 - text.Length % 4), out bytes);
    }
}
