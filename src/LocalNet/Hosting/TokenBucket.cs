using System.Collections.Concurrent;

namespace SessionInterop.LocalNet.Hosting;

// Per-IP token bucket of /storage_rpc/v1 (§1): 600 tokens, refilled at 300 per second.
internal sealed class TokenBucket(TimeProvider time, double capacity = 600, double refillPerSecond = 300)
{
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new();

    internal bool TryTake(string key)
    {
        Bucket bucket = _buckets.GetOrAdd(key, _ => new Bucket { Tokens = capacity, Stamp = time.GetTimestamp() });
        lock (bucket)
        {
            long now = time.GetTimestamp();
            bucket.Tokens = Math.Min(capacity, bucket.Tokens + time.GetElapsedTime(bucket.Stamp, now).TotalSeconds * refillPerSecond);
            bucket.Stamp = now;
            if (bucket.Tokens < 1) return false;
            bucket.Tokens -= 1;
            return true;
        }
    }

    private sealed class Bucket
    {
        internal double Tokens;
        internal long Stamp;
    }
}
