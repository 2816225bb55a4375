using Sodium;

namespace SessionInterop.Crypto;

// The storage server's message hash (protocol-network.md §4.7):
//   b64_unpadded(BLAKE2b-256(prefix byte || 32 key bytes || NSstr || data))
// NSstr is empty for namespace 0, otherwise the decimal namespace ("-10", "40").
internal static class StorageMessageHash
{
    internal const int Length = 43;

    /// <summary>Computes the hash of a message stored for the 33-byte account key in a namespace.</summary>
    internal static string Compute(ReadOnlySpan<byte> accountKey33, int ns, ReadOnlySpan<byte> data)
    {
        if (accountKey33.Length != 33) throw new ArgumentException("Account keys are 33 bytes.", nameof(accountKey33));
        byte[] nsText = ns == 0 ? [] : System.Text.Encoding.ASCII.GetBytes(ns.ToString(System.Globalization.CultureInfo.InvariantCulture));
        byte[] input = new byte[33 + nsText.Length + data.Length];
        accountKey33.CopyTo(input);
        nsText.CopyTo(input, 33);
        data.CopyTo(input.AsSpan(33 + nsText.Length));
        byte[] digest = GenericHash.Hash(input, (byte[]?)null, 32);
        return Convert.ToBase64String(digest).TrimEnd('=');
    }
}
