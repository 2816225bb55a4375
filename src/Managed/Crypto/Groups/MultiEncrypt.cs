using System.Text;
using SessionInterop.Config;

namespace SessionInterop.Crypto.Groups;

/// <summary>
/// Multi-recipient encryption (protocol-groups.md §3.1, §6.8): one nonce, one XChaCha20-Poly1305
/// ciphertext per recipient under key = BLAKE2b-256(key = domain, X25519(a, B) ‖ S ‖ R) where S is
/// the sender's and R the recipient's X25519 public key. Recipients try every ciphertext.
/// Used by the group keys message (member copies of the key) and the "you were removed" notice.
/// </summary>
internal static class MultiEncrypt
{
    public const int Overhead = Primitives.AeadTagBytes;

    /// <summary>The shared key; <paramref name="encrypting"/> tells whether (a, A) is the sender or the recipient.</summary>
    public static bool DeriveKey(Span<byte> key32, ReadOnlySpan<byte> a, ReadOnlySpan<byte> aPub, ReadOnlySpan<byte> bPub,
        bool encrypting, string domain)
    {
        Span<byte> shared = stackalloc byte[32];
        try
        {
            if (!Primitives.X25519(a, bPub, shared)) return false;
            byte[] domainKey = Encoding.ASCII.GetBytes(domain);
            if (domainKey.Length > 64) domainKey = domainKey[..64];   // libsodium's key limit, as libsession truncates
            ReadOnlySpan<byte> senderPub = encrypting ? aPub : bPub, recipientPub = encrypting ? bPub : aPub;
            Primitives.Blake2b(key32, domainKey, shared, senderPub, recipientPub);
            return true;
        }
        finally { Interop.LibSodium.Zero(shared); }
    }

    /// <summary>One ciphertext per recipient (invalid recipient keys are skipped), messages[i] to recipients[i] or messages[0] to all.</summary>
    public static List<byte[]> Encrypt(IReadOnlyList<byte[]> messages, IReadOnlyList<byte[]> recipients,
        ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> senderX, ReadOnlySpan<byte> senderXPub, string domain)
    {
        if (messages.Count != 1 && messages.Count != recipients.Count)
            throw Errors.InvalidArgument("multi.bad_counts", "give one message, or one per recipient");
        var output = new List<byte[]>(recipients.Count);
        Span<byte> key = stackalloc byte[32];
        try
        {
            for (int i = 0; i < recipients.Count; i++)
            {
                if (recipients[i].Length != 32 || !DeriveKey(key, senderX, senderXPub, recipients[i], encrypting: true, domain)) continue;
                byte[] m = messages.Count == 1 ? messages[0] : messages[i];
                var c = new byte[m.Length + Overhead];
                Primitives.AeadEncrypt(m, nonce, key, c);
                output.Add(c);
            }
        }
        finally { Interop.LibSodium.Zero(key); }
        return output;
    }

    /// <summary>The first ciphertext that opens with the recipient's key, or null.</summary>
    public static byte[]? Decrypt(IEnumerable<byte[]> ciphertexts, ReadOnlySpan<byte> nonce,
        ReadOnlySpan<byte> recipientX, ReadOnlySpan<byte> recipientXPub, ReadOnlySpan<byte> senderXPub, string domain)
    {
        Span<byte> key = stackalloc byte[32];
        try
        {
            if (!DeriveKey(key, recipientX, recipientXPub, senderXPub, encrypting: false, domain)) return null;
            foreach (byte[] c in ciphertexts)
            {
                if (c.Length < Overhead) continue;
                var m = new byte[c.Length - Overhead];
                if (Primitives.AeadDecrypt(c, nonce, key, m)) return m;
            }
            return null;
        }
        finally { Interop.LibSodium.Zero(key); }
    }

    /// <summary>The "simple" encoding: d 1:# 24:nonce 1:e l ciphertexts e e, with a random nonce unless given.</summary>
    public static byte[] EncryptSimple(IReadOnlyList<byte[]> messages, IReadOnlyList<byte[]> recipients,
        ReadOnlySpan<byte> senderX, ReadOnlySpan<byte> senderXPub, string domain, ReadOnlySpan<byte> nonce = default)
    {
        Span<byte> n = stackalloc byte[Primitives.AeadNonceBytes];
        if (nonce.IsEmpty) Primitives.RandomBytes(n);
        else if (nonce.Length != n.Length) throw Errors.InvalidArgument("multi.bad_nonce", "a nonce is 24 bytes");
        else nonce.CopyTo(n);
        List<byte[]> encrypted = Encrypt(messages, recipients, n, senderX, senderXPub, domain);
        return Bt.Encode(new BtDict
        {
            [Bt.K("#")] = n.ToArray(),
            [Bt.K("e")] = new BtList(encrypted),
        });
    }

    /// <summary>Opens the "simple" encoding; null when it is malformed or nothing is for us.</summary>
    public static byte[]? DecryptSimple(ReadOnlySpan<byte> encoded, ReadOnlySpan<byte> recipientX, ReadOnlySpan<byte> recipientXPub,
        ReadOnlySpan<byte> senderXPub, string domain)
    {
        BtDict d;
        try { d = Bt.DecodeDict(encoded); }
        catch (SessionException) { return null; }
        if (d.Get("#") is not byte[] { Length: Primitives.AeadNonceBytes } nonce || d.Get("e") is not BtList list) return null;
        return Decrypt(list.OfType<byte[]>(), nonce, recipientX, recipientXPub, senderXPub, domain);
    }
}
