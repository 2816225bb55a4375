using System.Globalization;
using System.Text;
using System.Text.Json;
using SessionInterop.Crypto;
using SessionInterop.Crypto.Groups;

namespace SessionInterop.Network.Client;

/// <summary>A non-admin member's access to a group swarm: its own keys and the admin-signed auth value.</summary>
internal sealed record MemberAuth(Identity Member, byte[] AuthData);

// Group swarm requests (protocol-groups.md §2): members sign as their subaccount (subaccount,
// subaccount_sig, signature, all base64); admins use the ordinary builders with the group's
// secret key, and alone may revoke or unrevoke member tokens (the raw tokens end the signed string).
internal static partial class StorageRpc
{
    /// <summary>store into a group namespace, signed by a member's subaccount over "store" NS timestamp.</summary>
    public static byte[] StoreAsMember(string groupId, int ns, string base64Data, long ttlMs, long timestampMs, MemberAuth auth)
    {
        CheckGroupId(groupId);
        CheckNamespace(ns);
        if (base64Data.Length > 102_400)
            throw Errors.TooLarge("network.message_too_large", "message data exceeds 102,400 base64 characters");
        SubaccountSignature sig = Subaccount.Sign(auth.Member, auth.AuthData, StorageSignatures.StoreMessage(ns, timestampMs));
        return Request("store", w =>
        {
            w.WriteString("pubkey", groupId);
            w.WriteNumber("timestamp", timestampMs);
            w.WriteNumber("ttl", ttlMs);
            w.WriteNumber("namespace", ns);
            w.WriteString("data", base64Data);
            WriteSubaccount(w, sig);
        });
    }

    /// <summary>retrieve from a group namespace, signed by a member's subaccount over "retrieve" NS timestamp.</summary>
    public static byte[] RetrieveAsMember(string groupId, int ns, string? lastHash, long timestampMs, MemberAuth auth)
    {
        CheckGroupId(groupId);
        CheckNamespace(ns);
        if (!string.IsNullOrEmpty(lastHash)) CheckHash(lastHash);
        SubaccountSignature sig = Subaccount.Sign(auth.Member, auth.AuthData, StorageSignatures.RetrieveMessage(ns, timestampMs));
        return Request("retrieve", w =>
        {
            w.WriteString("pubkey", groupId);
            w.WriteNumber("namespace", ns);
            if (!string.IsNullOrEmpty(lastHash)) w.WriteString("last_hash", lastHash);
            w.WriteNumber("timestamp", timestampMs);
            WriteSubaccount(w, sig);
        });
    }

    /// <summary>
    /// revoke_subaccount / unrevoke_subaccount (admin key only): signed over method ‖ timestamp ‖
    /// the raw 36-byte tokens; tokens sent as hex.
    /// </summary>
    public static byte[] Revoke(string groupId, IReadOnlyList<byte[]> tokens, bool revoke, long timestampMs, ReadOnlySpan<byte> groupSecretKey64)
    {
        CheckGroupId(groupId);
        if (tokens.Count is 0 or > 50 || tokens.Any(t => t.Length != Subaccount.TokenBytes))
            throw Errors.InvalidArgument("network.bad_tokens", "give 1 to 50 subaccount tokens of 36 bytes");
        string method = revoke ? "revoke_subaccount" : "unrevoke_subaccount";
        byte[] signed = [.. Encoding.ASCII.GetBytes(method + timestampMs.ToString(CultureInfo.InvariantCulture)), .. tokens.SelectMany(t => t)];
        string signature = StorageSignatures.Sign(signed, groupSecretKey64);
        return Request(method, w =>
        {
            w.WriteString("pubkey", groupId);
            w.WriteStartArray(revoke ? "revoke" : "unrevoke");
            foreach (byte[] t in tokens) w.WriteStringValue(Convert.ToHexStringLower(t));
            w.WriteEndArray();
            w.WriteNumber("timestamp", timestampMs);
            w.WriteString("signature", signature);
        });
    }

    private static void WriteSubaccount(Utf8JsonWriter w, SubaccountSignature sig)
    {
        w.WriteString("subaccount", sig.TokenBase64);
        w.WriteString("subaccount_sig", sig.TokenSignatureBase64);
        w.WriteString("signature", sig.SignatureBase64);
    }

    private static void CheckGroupId(string groupId)
    {
        CheckAccountId(groupId);
        if (!groupId.StartsWith("03", StringComparison.Ordinal))
            throw Errors.InvalidArgument("id.not_a_group", "a group id starts with 03");
    }
}
