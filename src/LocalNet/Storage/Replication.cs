using Microsoft.Extensions.Logging;
using SessionInterop.LocalNet.Topology;

namespace SessionInterop.LocalNet.Storage;

// Copies a store made at one swarm member to the other members, each after its own delay
// (delay + uniform jitter), as real nodes forward a client's store to their swarm peers: two stores
// made at the same moment at two members therefore land in different orders at different members.
// A member that is stopped or crashed gets its copy once it is back (the storage server keeps a
// retry queue). Pending copies are applied at once when LocalNet stops, so a restart on the same
// data folder loses nothing.
internal sealed class Replication : IDisposable
{
    private static readonly TimeSpan s_downRetry = TimeSpan.FromMilliseconds(200);

    private readonly ILogger _log;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<long, (LocalNode Target, Action<MessageStore> Apply)> _pending = [];
    private readonly Func<LocalNode, MessageStore> _storeOf;
    private long _nextId;
    private long _delayMs;
    private long _jitterMs;

    internal Replication(Func<LocalNode, MessageStore> storeOf, TimeSpan delay, TimeSpan jitter, ILoggerFactory loggerFactory)
    {
        _storeOf = storeOf;
        _log = loggerFactory.CreateLogger("LocalNet.Replication");
        Configure(delay, jitter);
    }

    internal TimeSpan Delay => TimeSpan.FromMilliseconds(Interlocked.Read(ref _delayMs));
    internal TimeSpan Jitter => TimeSpan.FromMilliseconds(Interlocked.Read(ref _jitterMs));

    internal void Configure(TimeSpan delay, TimeSpan jitter)
    {
        if (delay < TimeSpan.Zero || jitter < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(delay), "Replication delay and jitter cannot be negative.");
        Interlocked.Exchange(ref _delayMs, (long)delay.TotalMilliseconds);
        Interlocked.Exchange(ref _jitterMs, (long)jitter.TotalMilliseconds);
    }

    /// <summary>Schedules <paramref name="apply"/> on the store of every member of <paramref name="origin"/>'s swarm but itself.</summary>
    internal void ToPeers(SwarmDirectory swarms, LocalNode origin, Action<MessageStore> apply)
    {
        foreach (LocalNode peer in swarms.Members(origin.SwarmId))
        {
            if (peer == origin) continue;
            long id;
            lock (_lock)
            {
                id = ++_nextId;
                _pending[id] = (peer, apply);
            }
            long wait = Interlocked.Read(ref _delayMs) + (long)(Random.Shared.NextDouble() * Interlocked.Read(ref _jitterMs));
            _ = DeliverAsync(id, TimeSpan.FromMilliseconds(wait));
        }
    }

    /// <summary>Number of copies not yet applied (tests wait for 0).</summary>
    internal int Pending
    {
        get
        {
            lock (_lock) return _pending.Count;
        }
    }

    private async Task DeliverAsync(long id, TimeSpan wait)
    {
        try
        {
            if (wait > TimeSpan.Zero) await Task.Delay(wait, _stopping.Token);
            while (Target(id) is { } target && IsDown(target))
                await Task.Delay(s_downRetry, _stopping.Token);
            Apply(id);
        }
        catch (OperationCanceledException)
        {
            // Dispose applies what is left.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogMessages.ReplicationFailed(_log, e);
        }
    }

    private LocalNode? Target(long id)
    {
        lock (_lock) return _pending.TryGetValue(id, out var p) ? p.Target : null;
    }

    private static bool IsDown(LocalNode node) => node.Faults.Stopped || node.Faults.Crashed;

    private void Apply(long id)
    {
        (LocalNode Target, Action<MessageStore> Apply) item;
        lock (_lock)
        {
            if (!_pending.Remove(id, out item)) return;
        }
        item.Apply(_storeOf(item.Target));
    }

    /// <summary>Applies every pending copy now (LocalNet is stopping), then stops the timers.</summary>
    public void Dispose()
    {
        _stopping.Cancel();
        List<long> ids;
        lock (_lock) ids = _pending.Keys.Order().ToList();
        foreach (long id in ids)
        {
            try
            {
                Apply(id);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogMessages.ReplicationFailed(_log, e);
            }
        }
        _stopping.Dispose();
    }
}
