using Microsoft.Extensions.Logging;
using SessionInterop.LocalNet.Topology;

namespace SessionInterop.LocalNet;

/// <summary>
/// The fault switches of protocol-network.md §10.4, in process (the admin HTTP endpoint calls the
/// same methods). Nodes are named by their 1-based index (node n listens on 127.0.n.1).
/// </summary>
public sealed class LocalNetFaults
{
    private readonly LocalNetState _state;
    private readonly ILogger _log;

    internal LocalNetFaults(LocalNetState state)
    {
        _state = state;
        _log = state.LoggerFactory.CreateLogger("LocalNet.Admin");
    }

    /// <summary>Takes a node off the network: connections to it die, the seed stops listing it, other nodes answer 502 "Next node not found".</summary>
    public void StopNode(int index) => Apply(index, "stop", f => f.Stopped = true);

    /// <summary>Brings a stopped node back.</summary>
    public void StartNode(int index) => Apply(index, "start", f => f.Stopped = false);

    /// <summary>
    /// Crashes a node that stays registered: the seed and swarms still list it, its port refuses
    /// connections, relays to it answer 504 "Request time out" after the relay timeout.
    /// </summary>
    public void CrashNode(int index) => Apply(index, "crash", f => f.Crashed = true);

    /// <summary>Brings a crashed node back.</summary>
    public void RecoverNode(int index) => Apply(index, "recover", f => f.Crashed = false);

    /// <summary>Sets how long a store takes to reach each other swarm member: delay + uniform(0, jitter).</summary>
    public void SetReplication(TimeSpan delay, TimeSpan jitter)
    {
        _state.Replication.Configure(delay, jitter);
        LogMessages.AdminAction(_log, $"replication delay {delay.TotalMilliseconds} ms, jitter {jitter.TotalMilliseconds} ms");
    }

    /// <summary>Number of replicated copies still on their way (0 = every member has every store).</summary>
    public int PendingReplications => _state.Replication.Pending;

    /// <summary>Sets how long a relaying node waits for the next hop before answering 504 (real nodes: 30 s).</summary>
    public void SetRelayTimeout(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), "The relay timeout must be positive.");
        _state.RelayTimeout = timeout;
        LogMessages.AdminAction(_log, $"relay timeout {timeout.TotalMilliseconds} ms");
    }

    /// <summary>Delays the given fraction (0..1) of the node's requests by <paramref name="delay"/>.</summary>
    public void DelayRequests(int index, TimeSpan delay, double fraction = 1.0) => Apply(index, $"delay {delay.TotalMilliseconds} ms x{fraction}", f =>
    {
        f.Delay = delay;
        f.DelayFraction = Fraction(fraction);
    });

    /// <summary>Never answers the given fraction (0..1) of the node's requests (a relaying node then answers 504 "Request time out").</summary>
    public void DropRequests(int index, double fraction) => Apply(index, $"drop x{fraction}", f => f.DropFraction = Fraction(fraction));

    /// <summary>Shifts the node's clock (positive = ahead), to provoke 406 answers.</summary>
    public void SkewClock(int index, TimeSpan skew) => Apply(index, $"skew {skew.TotalMilliseconds} ms", f => f.ClockSkewMs = (long)skew.TotalMilliseconds);

    /// <summary>Makes the node "not ready": direct requests get 503, relays to it 503 "Snode not ready: &lt;hex&gt;".</summary>
    public void SetUnavailable(int index, bool unavailable) => Apply(index, $"unavailable={unavailable}", f => f.Unavailable = unavailable);

    /// <summary>Makes the node "overloaded": every request gets 503 "Server busy, try again later".</summary>
    public void SetBusy(int index, bool busy) => Apply(index, $"busy={busy}", f => f.Busy = busy);

    /// <summary>Makes the node corrupt the layer it relays, so the next hop answers 400 "Invalid ciphertext".</summary>
    public void CorruptRelays(int index, bool corrupt) => Apply(index, $"corrupt={corrupt}", f => f.CorruptRelays = corrupt);

    /// <summary>Moves an account (66 hex) to another swarm: its old swarm answers 421 with the new one.</summary>
    public void MoveAccount(string accountHex, ulong swarmId)
    {
        _state.Swarms.MoveAccount(accountHex.ToLowerInvariant(), swarmId);
        LogMessages.AdminAction(_log, $"move account to swarm {swarmId:x}");
    }

    /// <summary>Clears every switch on every node and every account move; replication and relay timeout return to the start options.</summary>
    public void Reset()
    {
        foreach (LocalNode n in _state.Nodes) n.Faults.Reset();
        _state.Swarms.ResetMoves();
        _state.Replication.Configure(_state.Options.ReplicationDelay, _state.Options.ReplicationJitter);
        _state.RelayTimeout = _state.Options.RelayTimeout;
        LogMessages.AdminAction(_log, "reset");
    }

    private void Apply(int index, string action, Action<NodeFaults> change)
    {
        LocalNode node = _state.NodeByIndex(index) ?? throw new ArgumentOutOfRangeException(nameof(index), $"No node {index}.");
        change(node.Faults);
        LogMessages.AdminAction(_log, $"node {index}: {action}");
    }

    private static double Fraction(double f) =>
        f is >= 0 and <= 1 ? f : throw new ArgumentOutOfRangeException(nameof(f), "A fraction is between 0 and 1.");
}
