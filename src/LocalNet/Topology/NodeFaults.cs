namespace SessionInterop.LocalNet.Topology;

// Fault switches of one node (protocol-network.md §10.4). Plain volatile fields: switches are
// flipped by tests/admin while requests run, and a slightly stale read is harmless.
internal sealed class NodeFaults
{
    private volatile bool _stopped;
    private volatile bool _crashed;
    private volatile bool _unavailable;
    private volatile bool _busy;
    private volatile bool _corruptRelays;
    private long _delayTicks;
    private double _delayFraction;
    private double _dropFraction;
    private long _skewMs;

    internal bool Stopped { get => _stopped; set => _stopped = value; }
    /// <summary>Crashed but still registered: listed everywhere, refuses connections, relays to it time out.</summary>
    internal bool Crashed { get => _crashed; set => _crashed = value; }
    internal bool Unavailable { get => _unavailable; set => _unavailable = value; }
    internal bool Busy { get => _busy; set => _busy = value; }
    internal bool CorruptRelays { get => _corruptRelays; set => _corruptRelays = value; }
    internal TimeSpan Delay { get => TimeSpan.FromTicks(Interlocked.Read(ref _delayTicks)); set => Interlocked.Exchange(ref _delayTicks, value.Ticks); }
    internal double DelayFraction { get => Volatile.Read(ref _delayFraction); set => Volatile.Write(ref _delayFraction, value); }
    internal double DropFraction { get => Volatile.Read(ref _dropFraction); set => Volatile.Write(ref _dropFraction, value); }
    internal long ClockSkewMs { get => Interlocked.Read(ref _skewMs); set => Interlocked.Exchange(ref _skewMs, value); }

    internal void Reset()
    {
        Stopped = false;
        Crashed = false;
        Unavailable = false;
        Busy = false;
        CorruptRelays = false;
        Delay = TimeSpan.Zero;
        DelayFraction = 0;
        DropFraction = 0;
        ClockSkewMs = 0;
    }
}
