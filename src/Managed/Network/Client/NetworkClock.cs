namespace SessionInterop.Network.Client;

// Network time (protocol-network.md §9), desktop's scheme: every storage reply's `t` gives
// offset = localNow − t; keep the last 10 and use their mean. Signatures and store timestamps
// must use NowMs, or nodes answer 406.
internal sealed class NetworkClock
{
    private const int Window = 10;
    private const long EarliestPlausibleMs = 1_609_459_200_000; // 2021-01-01: older `t` values are bogus

    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Queue<long> _offsets = new();
    private long _meanOffset;

    public NetworkClock(TimeProvider time) => _time = time;

    /// <summary>Local time minus network time, in ms (0 until the first sample).</summary>
    public long OffsetMs
    {
        get { lock (_gate) return _meanOffset; }
    }

    /// <summary>Network-corrected Unix time in ms.</summary>
    public long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds() - OffsetMs;

    /// <summary>Adds one server-time sample (a reply's <c>t</c>).</summary>
    public void Record(long serverMs)
    {
        if (serverMs < EarliestPlausibleMs)
            return;
        long offset = _time.GetUtcNow().ToUnixTimeMilliseconds() - serverMs;
        lock (_gate)
        {
            _offsets.Enqueue(offset);
            while (_offsets.Count > Window)
                _offsets.Dequeue();
            _meanOffset = (long)_offsets.Average();
        }
    }

    /// <summary>After a 406: forget the old samples and trust this one.</summary>
    public void Reset(long serverMs)
    {
        if (serverMs < EarliestPlausibleMs)
            return;
        lock (_gate)
            _offsets.Clear();
        Record(serverMs);
    }
}
