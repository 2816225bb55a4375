using System.Buffers.Binary;

namespace SessionInterop.Network.Swarms;

// Account → swarm mapping of protocol-network.md §3.1 (same algorithm on nodes and in libsession),
// shared by LocalNet and the client.
internal static class SwarmSpace
{
    /// <summary>The "not in a swarm" id.</summary>
    internal const ulong InvalidSwarmId = ulong.MaxValue;

    /// <summary>XOR of the four big-endian u64 chunks of the 32 key bytes after the prefix byte.</summary>
    internal static ulong Of(ReadOnlySpan<byte> accountKey33)
    {
        if (accountKey33.Length != 33) throw new ArgumentException("Account keys are 33 bytes.", nameof(accountKey33));
        ulong space = 0;
        for (int i = 0; i < 4; i++)
            space ^= BinaryPrimitives.ReadUInt64BigEndian(accountKey33.Slice(1 + 8 * i, 8));
        return space;
    }

    /// <summary>Picks the swarm closest to <paramref name="space"/> with wrap-around; ties go to the lower (left) swarm.</summary>
    internal static ulong Choose(ulong space, IEnumerable<ulong> swarmIds)
    {
        // INVALID_SWARM_ID means "not in a swarm" (§3.1), so it is never a candidate.
        ulong[] sorted = swarmIds.Where(id => id != InvalidSwarmId).Distinct().Order().ToArray();
        if (sorted.Length == 0) throw Errors.NotFound("network.no_swarms", "no swarm ids known");
        if (sorted.Length == 1) return sorted[0];

        int rightIndex = Array.FindIndex(sorted, id => id >= space);
        if (rightIndex < 0) rightIndex = 0;
        int leftIndex = rightIndex == 0 ? sorted.Length - 1 : rightIndex - 1;
        ulong right = sorted[rightIndex];
        ulong left = sorted[leftIndex];
        ulong dright = unchecked(right - space);
        ulong dleft = unchecked(space - left);
        return dright < dleft ? right : left;
    }
}
