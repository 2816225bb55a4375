using System.Buffers.Binary;

namespace SessionInterop.Network.Client;

// Account → swarm mapping (protocol-network.md §3.1), the same algorithm the storage servers run.
// Clients mainly ask get_swarm, but LocalNet and tests need the exact mapping.
internal static class SwarmSpace
{
    public const ulong InvalidSwarmId = ulong.MaxValue;

    /// <summary>XOR of the four big-endian u64 chunks of the 32 key bytes (prefix dropped).</summary>
    public static ulong Compute(string accountIdHex66)
    {
        byte[] account = StorageRpc.ParseAccountId(accountIdHex66);
        ReadOnlySpan<byte> key = account.AsSpan(1);
        ulong space = 0;
        for (int i = 0; i < 4; i++)
            space ^= BinaryPrimitives.ReadUInt64BigEndian(key.Slice(i * 8, 8));
        return space;
    }

    /// <summary>Closest swarm id to <paramref name="space"/> with wrap-around; ties go left (lower).</summary>
    public static ulong Choose(ulong space, IEnumerable<ulong> swarmIds)
    {
        ulong[] ids = swarmIds.Where(id => id != InvalidSwarmId).Distinct().Order().ToArray();
        if (ids.Length == 0)
            throw Errors.NotFound("network.no_swarms", "no swarm ids known");
        if (ids.Length == 1)
            return ids[0];

        int rightIndex = Array.FindIndex(ids, id => id >= space);
        if (rightIndex < 0)
            rightIndex = 0;
        ulong right = ids[rightIndex];
        ulong left = ids[rightIndex == 0 ? ids.Length - 1 : rightIndex - 1];
        ulong dright = unchecked(right - space);
        ulong dleft = unchecked(space - left);
        return dright < dleft ? right : left;
    }
}
