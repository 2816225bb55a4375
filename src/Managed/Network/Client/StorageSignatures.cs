using System.Globalization;
using System.Text;
using Sodium;

namespace SessionInterop.Network.Client;

// The exact byte strings the storage server verifies (protocol-network.md §4.4-§4.5), and the
// Ed25519 signature over them. Integers are plain base 10; NS is "" for namespace 0.
internal static class StorageSignatures
{
    public static string NamespaceText(int ns) => ns == 0 ? "" : ns.ToString(CultureInfo.InvariantCulture);

    public static byte[] StoreMessage(int ns, long sigTimestampMs) =>
        Ascii("store" + NamespaceText(ns) + Num(sigTimestampMs));

    public static byte[] RetrieveMessage(int ns, long timestampMs) =>
        Ascii("retrieve" + NamespaceText(ns) + Num(timestampMs));

    public static byte[] DeleteMessage(IEnumerable<string> hashes) =>
        Ascii("delete" + string.Concat(hashes));

    /// <summary><paramref name="ns"/> null means the <c>"all"</c> form.</summary>
    public static byte[] DeleteAllMessage(int? ns, long timestampMs) =>
        Ascii("delete_all" + (ns is int n ? NamespaceText(n) : "all") + Num(timestampMs));

    /// <summary>"expire" || ("shorten"|"extend"|"") || expiry || hash₀ || ….</summary>
    public static byte[] ExpireMessage(string mode, long expiryMs, IEnumerable<string> hashes) =>
        Ascii("expire" + mode + Num(expiryMs) + string.Concat(hashes));

    /// <summary>Detached Ed25519 signature, standard padded base64 (88 characters).</summary>
    public static string Sign(byte[] message, ReadOnlySpan<byte> edSecretKey64)
    {
        if (edSecretKey64.Length != 64)
            throw Errors.InvalidArgument("key.bad_length", "Ed25519 secret key must be 64 bytes");
        byte[] sk = edSecretKey64.ToArray();
        try
        {
            return Convert.ToBase64String(PublicKeyAuth.SignDetached(message, sk));
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(sk);
        }
    }

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
}
