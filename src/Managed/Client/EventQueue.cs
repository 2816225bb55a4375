using System.Collections.Concurrent;
using SessionInterop.State;

namespace SessionInterop.Client;

/// <summary>
/// The events the app drains with Poll. Durable events (messages, completions) are written to the
/// state database by the transaction that produced them and reach this queue when it commits
/// (StateStore.EventCommitted); they stay in the database until acknowledged (the app's next Poll,
/// Release or Dispose), so a crash never loses one. Connection changes and logs are transient.
/// Poll works on memory only: acknowledgements are written to the database on a library thread,
/// so the app's thread never waits for the disk. The wakeup callback fires on each empty →
/// non-empty transition.
/// </summary>
internal sealed class EventQueue
{
    private readonly StateStore _store;
    private readonly Action? _wakeup;
    private readonly ConcurrentQueue<SessionEvent> _ready = new();
    private readonly ConcurrentQueue<long> _toAcknowledge = new();
    private readonly ManualResetEventSlim _signal = new(false);
    private readonly object _flushGate = new();
    private List<long> _lastBatch = [];
    private int _flushScheduled;
    private int _interrupts;
    private bool _closed;

    internal EventQueue(StateStore store, Action? wakeup)
    {
        _store = store;
        _wakeup = wakeup;
        // Events left undrained by an earlier run are delivered again, oldest first.
        foreach (SessionEvent e in store.EventsAfter(0, int.MaxValue)) _ready.Enqueue(e);
        store.EventCommitted += Enqueue;
    }

    internal bool HasEvents => !_ready.IsEmpty;

    /// <summary>Queues a transient event (connection state, stopped, log).</summary>
    internal void AddTransient(SessionEvent e) => Enqueue(e);

    private void Enqueue(SessionEvent e)
    {
        bool wasEmpty = _ready.IsEmpty;
        _ready.Enqueue(e);
        _signal.Set();
        if (wasEmpty) _wakeup?.Invoke();
    }

    /// <summary>
    /// Acknowledges the previous batch and returns up to <paramref name="max"/> ready events.
    /// Never touches the disk. One consumer thread at a time (the C ABI enforces it).
    /// </summary>
    internal IReadOnlyList<SessionEvent> Poll(int max)
    {
        Acknowledge();
        if (_ready.IsEmpty) return [];
        var batch = new List<SessionEvent>(Math.Min(max, 64));
        while (batch.Count < max && _ready.TryDequeue(out SessionEvent? e))
        {
            batch.Add(e);
            if (e.Seq > 0) _lastBatch.Add(e.Seq);
        }
        return batch;
    }

    /// <summary>Marks the last batch as received; the database forgets it shortly after, off this thread.</summary>
    internal void Acknowledge()
    {
        if (_lastBatch.Count == 0) return;
        foreach (long seq in _lastBatch) _toAcknowledge.Enqueue(seq);
        _lastBatch = [];
        if (Interlocked.Exchange(ref _flushScheduled, 1) == 0)
            ThreadPool.UnsafeQueueUserWorkItem(static q => q.Flush(), this, preferLocal: false);
    }

    /// <summary>Writes pending acknowledgements now (Dispose: before the database closes).</summary>
    internal void Close()
    {
        Acknowledge();
        lock (_flushGate)
        {
            WriteAcknowledgements();
            _closed = true;
            _store.EventCommitted -= Enqueue;
        }
    }

    private void Flush()
    {
        Volatile.Write(ref _flushScheduled, 0);
        lock (_flushGate)
        {
            if (!_closed) WriteAcknowledgements();
        }
    }

    private void WriteAcknowledgements()
    {
        var seqs = new List<long>();
        while (_toAcknowledge.TryDequeue(out long seq)) seqs.Add(seq);
        if (seqs.Count > 0) _store.AcknowledgeEvents(seqs);
    }

    /// <summary>
    /// Blocks until an event is ready or Interrupt is called (true), or the timeout passes (false).
    /// </summary>
    internal bool Wait(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (HasEvents) return true;
            if (Interlocked.Exchange(ref _interrupts, 0) > 0) return true;
            TimeSpan left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) return false;
            // Reset, then re-check: a producer that signalled in between is never missed.
            _signal.Reset();
            if (HasEvents || Volatile.Read(ref _interrupts) > 0) continue;
            _signal.Wait(left);
        }
    }

    internal void Interrupt()
    {
        Interlocked.Increment(ref _interrupts);
        _signal.Set();
    }
}
