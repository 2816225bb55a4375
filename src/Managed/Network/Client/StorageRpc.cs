using System.Text.Json;

namespace SessionInterop.Network.Client;

// Request builders for the storage-server RPC (protocol-network.md §4): {"method":…,"params":{…}}
// as compact UTF-8 JSON, signed where §4.5 requires. Keys are raw bytes; nothing here does I/O.
internal static partial class StorageRpc
{
    /// <summary>Fields asked of get_service_nodes, through seeds and through snodes alike.</summary>
    public static readonly string[] NodeFields = ["public_ip", "storage_port", "pubkey_x25519", "pubkey_ed25519", "requested_unlock_height", "swarm_id"];

    public static byte[] Info() => Request("info", _ => { });

    public static byte[] GetSwarm(string accountId) =>
        Request("get_swarm", w => w.WriteString("pubkey", CheckAccountId(accountId)));

    /// <summary>
    /// store: unsigned for public-inbox namespaces (n % 10 == 0); otherwise signed over
    /// "store" NS timestamp (sig_timestamp defaults to timestamp server-side).
    /// </summary>
    public static byte[] Store(string accountId, int ns, string base64Data, long ttlMs, long timestampMs, ReadOnlySpan<byte> edSecretKey64)
    {
        CheckAccountId(accountId);
        CheckNamespace(ns);
        if (base64Data.Length > 102_400)
            throw Errors.TooLarge("network.message_too_large", "message data exceeds 102,400 base64 characters");
        string? signature = null;
        if (!IsPublicInbox(ns))
        {
            if (edSecretKey64.IsEmpty)
                throw Errors.InvalidArgument("network.auth_required", $"namespace {ns} requires a signed store");
            signature = StorageSignatures.Sign(StorageSignatures.StoreMessage(ns, timestampMs), edSecretKey64);
        }
        string? edPub = signature is null ? null : EdPublicFor(accountId, edSecretKey64);
        return Request("store", w =>
        {
            w.WriteString("pubkey", accountId);
            w.WriteNumber("timestamp", timestampMs);
            w.WriteNumber("ttl", ttlMs);
            w.WriteNumber("namespace", ns);
            w.WriteString("data", base64Data);
            WriteAuth(w, signature, edPub);
        });
    }

    /// <summary>retrieve, signed over "retrieve" NS timestamp.</summary>
    public static byte[] Retrieve(string accountId, int ns, string? lastHash, long timestampMs, ReadOnlySpan<byte> edSecretKey64, int? maxSize = null)
    {
        CheckAccountId(accountId);
        CheckNamespace(ns);
        if (!string.IsNullOrEmpty(lastHash))
            CheckHash(lastHash);
        string signature = StorageSignatures.Sign(StorageSignatures.RetrieveMessage(ns, timestampMs), edSecretKey64);
        string? edPub = EdPublicFor(accountId, edSecretKey64);
        return Request("retrieve", w =>
        {
            w.WriteString("pubkey", accountId);
            w.WriteNumber("namespace", ns);
            if (!string.IsNullOrEmpty(lastHash))
                w.WriteString("last_hash", lastHash);
            if (maxSize is int size)
                w.WriteNumber("max_size", size);
            w.WriteNumber("timestamp", timestampMs);
            WriteAuth(w, signature, edPub);
        });
    }

    /// <summary>delete by hashes, signed over "delete" || hash₀ || hash₁ ….</summary>
    public static byte[] Delete(string accountId, IReadOnlyList<string> hashes, ReadOnlySpan<byte> edSecretKey64)
    {
        CheckAccountId(accountId);
        if (hashes.Count == 0)
            throw Errors.InvalidArgument("network.no_hashes", "delete needs at least one message hash");
        foreach (string h in hashes)
            CheckHash(h);
        string signature = StorageSignatures.Sign(StorageSignatures.DeleteMessage(hashes), edSecretKey64);
        string? edPub = EdPublicFor(accountId, edSecretKey64);
        return Request("delete", w =>
        {
            w.WriteString("pubkey", accountId);
            w.WriteStartArray("messages");
            foreach (string h in hashes)
                w.WriteStringValue(h);
            w.WriteEndArray();
            WriteAuth(w, signature, edPub);
        });
    }

    /// <summary>delete_all for one namespace, or every namespace when <paramref name="ns"/> is null ("all").</summary>
    public static byte[] DeleteAll(string accountId, int? ns, long timestampMs, ReadOnlySpan<byte> edSecretKey64)
    {
        CheckAccountId(accountId);
        if (ns is int n)
            CheckNamespace(n);
        string signature = StorageSignatures.Sign(StorageSignatures.DeleteAllMessage(ns, timestampMs), edSecretKey64);
        string? edPub = EdPublicFor(accountId, edSecretKey64);
        return Request("delete_all", w =>
        {
            w.WriteString("pubkey", accountId);
            if (ns is int value)
                w.WriteNumber("namespace", value);
            else
                w.WriteString("namespace", "all");
            w.WriteNumber("timestamp", timestampMs);
            WriteAuth(w, signature, edPub);
        });
    }

    /// <summary>expire: set (or with <paramref name="mode"/> "shorten"/"extend", only move) the expiry of messages.</summary>
    public static byte[] Expire(string accountId, IReadOnlyList<string> hashes, long expiryMs, string mode, ReadOnlySpan<byte> edSecretKey64)
    {
        CheckAccountId(accountId);
        if (hashes.Count == 0)
            throw Errors.InvalidArgument("network.no_hashes", "expire needs at least one message hash");
        if (mode is not ("" or "shorten" or "extend"))
            throw Errors.InvalidArgument("network.bad_expire_mode", "mode must be \"\", \"shorten\" or \"extend\"");
        foreach (string h in hashes)
            CheckHash(h);
        string signature = StorageSignatures.Sign(StorageSignatures.ExpireMessage(mode, expiryMs, hashes), edSecretKey64);
        string? edPub = EdPublicFor(accountId, edSecretKey64);
        return Request("expire", w =>
        {
            w.WriteString("pubkey", accountId);
            w.WriteStartArray("messages");
            foreach (string h in hashes)
                w.WriteStringValue(h);
            w.WriteEndArray();
            w.WriteNumber("expiry", expiryMs);
            if (mode.Length > 0)
                w.WriteBoolean(mode, true);
            WriteAuth(w, signature, edPub);
        });
    }

    /// <summary>batch (or sequence): 1-20 sub-requests, each a complete {"method","params"} object.</summary>
    public static byte[] Batch(IReadOnlyList<byte[]> subrequests, bool sequence = false)
    {
        if (subrequests.Count is 0 or > 20)
            throw Errors.InvalidArgument("network.bad_batch", "a batch holds 1 to 20 sub-requests");
        return Request(sequence ? "sequence" : "batch", w =>
        {
            w.WriteStartArray("requests");
            foreach (byte[] sub in subrequests)
                w.WriteRawValue(sub, skipInputValidation: false);
            w.WriteEndArray();
        });
    }

    /// <summary>oxend_request → get_service_nodes, how pool nodes are asked for the node list (§2.4).</summary>
    public static byte[] GetServiceNodes() => Request("oxend_request", w =>
    {
        w.WriteString("endpoint", "get_service_nodes");
        w.WriteStartObject("params");
        WriteNodeListParams(w);
        w.WriteEndObject();
    });

    /// <summary>The seed JSON-RPC body for get_n_service_nodes (§2.1); no "limit": the full list is needed.</summary>
    public static byte[] SeedGetServiceNodes()
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("jsonrpc", "2.0");
            w.WriteString("method", "get_n_service_nodes");
            w.WriteStartObject("params");
            WriteNodeListParams(w);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>Public inbox namespaces (n % 10 == 0) accept unsigned stores.</summary>
    public static bool IsPublicInbox(int ns) => ns % 10 == 0;

    /// <summary>Parses a 66-hex account id (prefix byte + 32 key bytes).</summary>
    public static byte[] ParseAccountId(string accountId)
    {
        CheckAccountId(accountId);
        return Convert.FromHexString(accountId);
    }

    private static void WriteNodeListParams(Utf8JsonWriter w)
    {
        w.WriteBoolean("active_only", true);
        w.WriteStartObject("fields");
        foreach (string f in NodeFields)
            w.WriteBoolean(f, true);
        w.WriteEndObject();
    }

    // pubkey_ed25519 goes with 05 Session IDs only; 03 group keys are their own Ed25519 key.
    private static string? EdPublicFor(string accountId, ReadOnlySpan<byte> edSecretKey64)
    {
        if (edSecretKey64.Length != 64)
            throw Errors.InvalidArgument("key.bad_length", "Ed25519 secret key must be 64 bytes");
        return accountId.StartsWith("05", StringComparison.Ordinal) ? Convert.ToHexStringLower(edSecretKey64[32..]) : null;
    }

    private static void WriteAuth(Utf8JsonWriter w, string? signature, string? edPub)
    {
        if (signature is null)
            return;
        w.WriteString("signature", signature);
        if (edPub is not null)
            w.WriteString("pubkey_ed25519", edPub);
    }

    private static string CheckAccountId(string accountId)
    {
        if (accountId is null || accountId.Length != 66 || !accountId.All(Uri.IsHexDigit))
            throw Errors.InvalidArgument("id.bad_format", "account id must be 66 hex characters");
        return accountId;
    }

    private static void CheckNamespace(int ns)
    {
        if (ns is < short.MinValue or > short.MaxValue)
            throw Errors.InvalidArgument("network.bad_namespace", "namespace must fit in 16 bits");
    }

    private static void CheckHash(string hash)
    {
        if (hash.Length != 43)
            throw Errors.InvalidArgument("network.bad_hash", "message hash must be 43 base64 characters");
    }

    private static byte[] Request(string method, Action<Utf8JsonWriter> writeParams)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("method", method);
            w.WriteStartObject("params");
            writeParams(w);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
