using System.Security.Cryptography;

namespace SessionInterop.LocalNet.Topology;

// Node Ed25519 seeds, kept in <data>/node-keys.txt (one hex seed per line) so a LocalNet
// restarted on the same folder has the same node identities and swarms.
internal static class NodeKeys
{
    internal const string FileName = "node-keys.txt";

    internal static List<byte[]> LoadOrCreate(string dataDirectory, int count, IReadOnlyList<byte[]>? explicitSeeds)
    {
        string path = Path.Combine(dataDirectory, FileName);
        var seeds = File.Exists(path)
            ? File.ReadAllLines(path).Where(l => l.Length == 64).Select(Convert.FromHexString).ToList()
            : [];
        while (seeds.Count < count) seeds.Add(RandomNumberGenerator.GetBytes(32));
        for (int i = 0; explicitSeeds is not null && i < explicitSeeds.Count && i < count; i++)
        {
            if (explicitSeeds[i].Length != 32) throw new ArgumentException("Node seeds are 32 bytes.");
            seeds[i] = explicitSeeds[i];
        }
        File.WriteAllLines(path, seeds.Select(Convert.ToHexStringLower));
        return seeds.Take(count).ToList();
    }
}
