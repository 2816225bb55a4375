using System.Text;
using Sodium;

namespace SessionInterop.Network.Client;

// The storage server's message hash (protocol-network.md §4.7):
// b64_unpadded(BLAKE2b-256(prefix byte || 32 key bytes || NS text || data)), always 43 chars.
internal static class MessageHash
{
    public static string Compute(string accountIdHex66, int ns, ReadOnlySpan<byte> data)
    {
        byte[] account = StorageRpc.ParseAccountId(accountIdHex66);
        byte[] nsText = Encoding.ASCII.GetBytes(StorageSignatures.NamespaceText(ns));
        byte[] input = [.. account, .. nsText, .. data];
        byte[] hash = GenericHash.Hash(input, (byte[]?)null, 32);
        return Convert.ToBase64String(hash).TrimEnd('=');
    }
}
