using System.Collections.Concurrent;
using SessionInterop.Client.Engine;
using SessionInterop.State;

namespace SessionInterop.Client;

/// <summary>
/// The events the app drains with Poll. Durable events (messages, completions) are written to the
/// state database by the transaction that produced them and reach this queue when it commits
/// (StateStore.EventCommitted); they stay in the database until acknowledged (the app's next Poll,
/// Release or Dispose), so a crash never loses one. Connection changes, errors and logs are transient.
/// Poll works on memory only: acknowledgements are written to the database on a library thread,
/// so the app's thread never waits for the disk. The wakeup callback fires on each empty →
/// non-empty transition, always on a library thread of its own (never inside the store's lock,
/// never on the app's thread) and only while the callback gate is open.
/// </summary>
internal sealed class EventQueue
{
    private readonly StateStore _store;
    private readonly Action? _wakeup;
    private readonly CallbackGate _gate;
    private readonly int _maxLogEvents;
    private readonly ConcurrentQueue<SessionEvent> _ready = new();
    private readonly ConcurrentQueue<long> _toAcknowledge = new();
    private readonly ManualResetEventSlim _signal = new(false);
    private readonly object _flushGate = new();
    private readonly List<long> _lastBatch = [];
    private readonly Timer _flushTimer;
    private int _readyCount;
    private int _logCount;
    private long _droppedLogs;
    private int _flushScheduled;
    private int _unacknowledged;   // durable events queued whose acknowledgement is not yet written
    private int _wakeupScheduled;
    private int _interrupts;
    private bool _closed;
    private bool _acknowledgeFailing; // under _flushGate: one report per failure streak

    internal EventQueue(StateStore store, Action? wakeup, CallbackGate gate, int maxLogEvents)
    {
        _store = store;
        _wakeup = wakeup;
        _gate = gate;
        _maxLogEvents = maxLogEvents;
        _flushTimer = new Timer(static q => ((EventQueue)q!).Flush(), this, Timeout.Infinite, Timeout.Infinite);
        // Events left undrained by an earlier run are delivered again, oldest first.
        foreach (SessionEvent e in store.EventsAfter(0, int.MaxValue)) Enqueue(e);
        store.EventCommitted += Enqueue;
    }

    internal bool HasEvents => !_ready.IsEmpty;

    /// <summary>Events waiting for the app (the jobs pause polling beyond a bound; may read -1 for a moment).</summary>
    internal int ReadyCount => Volatile.Read(ref _readyCount);

    /// <summary>LOG events dropped because the app did not drain them.</summary>
    internal long DroppedLogs => Interlocked.Read(ref _droppedLogs);

    /// <summary>Raised (on a library thread) when writing acknowledgements starts failing; they are retried.</summary>
    internal event Action<Exception>? AcknowledgeFailed;

    /// <summary>Queues a transient event (connection state, stopped, error).</summary>
    internal void AddTransient(SessionEvent e) => Enqueue(e);

    /// <summary>Queues a LOG event unless MaxLogEvents of them are already waiting (then it is dropped).</summary>
    internal void AddLog(SessionEvent e)
    {
        if (Interlocked.Increment(ref _logCount) > _maxLogEvents)
        {
            Interlocked.Decrement(ref _logCount);
            Interlocked.Increment(ref _droppedLogs);
            return;
        }
        Enqueue(e);
    }

    private void Enqueue(SessionEvent e)
    {
        if (Volatile.Read(ref _closed)) return;
        bool wasEmpty = _ready.IsEmpty;
        if (e.Seq > 0)
        {
            // A durable event: the flush timer runs until its acknowledgement is written. Armed here,
            // on the library thread that produced it, so the app's poll never touches a timer.
            Interlocked.Increment(ref _unacknowledged);
            ScheduleFlush();
        }
        _ready.Enqueue(e);
        Interlocked.Increment(ref _readyCount);
        _signal.Set();
        if (wasEmpty && _wakeup is not null && Interlocked.Exchange(ref _wakeupScheduled, 1) == 0)
            ThreadPool.UnsafeQueueUserWorkItem(static q => q.RunWakeup(), this, preferLocal: false);
    }

    private void RunWakeup()
    {
        Volatile.Write(ref _wakeupScheduled, 0);
        _gate.Run(_wakeup!);
    }

    /// <summary>
    /// Acknowledges the previous batch and returns up to <paramref name="max"/> ready events.
    /// Never touches the disk. One consumer thread at a time (the C ABI enforces it).
    /// </summary>
    internal IReadOnlyList<SessionEvent> Poll(int max)
    {
        if (_ready.IsEmpty && _lastBatch.Count == 0) return [];
        var batch = new List<SessionEvent>(Math.Min(max, 64));
        PollInto(batch, max);
        return batch;
    }

    /// <summary>
    /// Poll into the caller's list (cleared first): the C ABI's frame loop reuses one list, so
    /// draining allocates nothing here and gives the garbage collector no reason to stop the app's thread.
    /// </summary>
    internal void PollInto(List<SessionEvent> batch, int max)
    {
        batch.Clear();
        Acknowledge();
        while (batch.Count < max && _ready.TryDequeue(out SessionEvent? e))
        {
            Interlocked.Decrement(ref _readyCount);
            if (e.Type == EventType.Log) Interlocked.Decrement(ref _logCount);
            batch.Add(e);
            if (e.Seq > 0) _lastBatch.Add(e.Seq);
        }
    }

    /// <summary>
    /// Marks the last batch as received; the database forgets it shortly after, off this thread.
    /// Lock-free and wakes no thread: the flush timer is already running (Enqueue armed it).
    /// </summary>
    internal void Acknowledge()
    {
        if (_lastBatch.Count == 0) return;
        foreach (long seq in _lastBatch) _toAcknowledge.Enqueue(seq);
        _lastBatch.Clear();   // kept: the consumer thread reuses it batch after batch
    }

    // Acknowledgements are written once per window by a timer that keeps ticking while a durable
    // event is unacknowledged (armed by the thread that queued the event, re-armed by the tick), so a
    // poll that released a batch neither takes the timer queue's lock (which library threads' timeouts
    // contend) nor wakes a thread, and one write covers many polls. A crash inside the window only
    // redelivers those batches. While the app leaves events undrained, the tick finds nothing to write.
    private static readonly TimeSpan s_acknowledgeWindow = TimeSpan.FromMilliseconds(20);

    private void ScheduleFlush()
    {
        if (Volatile.Read(ref _closed) || Interlocked.Exchange(ref _flushScheduled, 1) != 0) return;
        try { _flushTimer.Change(s_acknowledgeWindow, Timeout.InfiniteTimeSpan); }
        catch (ObjectDisposedException) { /* closing: Close wrote them */ }
    }

    /// <summary>Writes pending acknowledgements now (Dispose: before the database closes). Never throws.</summary>
    internal void Close()
    {
        Acknowledge();
        lock (_flushGate)
        {
            // Unwritten acknowledgements only mean a batch is delivered again after the restart.
            TryWriteAcknowledgements();
            Volatile.Write(ref _closed, true);
            _store.EventCommitted -= Enqueue;
        }
        _flushTimer.Dispose();
        _signal.Set();
    }

    private void Flush()
    {
        bool written;
        lock (_flushGate)
        {
            written = !_closed && TryWriteAcknowledgements();
        }
        // Cleared before the count is read: an event queued meanwhile either finds the flag clear and
        // arms the timer itself, or is counted here and the timer is re-armed. After a failed write the
        // maintenance job's RetryAcknowledgements (or the next event) re-arms it, not this tick.
        Volatile.Write(ref _flushScheduled, 0);
        if (written && Volatile.Read(ref _unacknowledged) > 0) ScheduleFlush();
    }

    /// <summary>
    /// A disk error here (full, read-only, locked) must not reach the thread pool, where it would end
    /// the host: the acknowledgements go back in the queue for the next flush and the app hears of it.
    /// </summary>
    private bool TryWriteAcknowledgements()
    {
        if (_toAcknowledge.IsEmpty) return true;   // most ticks while the app holds events: no allocation
        var seqs = new List<long>();
        while (_toAcknowledge.TryDequeue(out long seq)) seqs.Add(seq);
        try
        {
            _store.AcknowledgeEvents(seqs);
            Interlocked.Add(ref _unacknowledged, -seqs.Count);
            _acknowledgeFailing = false;
            return true;
        }
        catch (Exception e)
        {
            foreach (long seq in seqs) _toAcknowledge.Enqueue(seq);
            if (_acknowledgeFailing) return false;
            _acknowledgeFailing = true;
            try { AcknowledgeFailed?.Invoke(e); } catch { /* reporting must not throw either */ }
            return false;
        }
    }

    /// <summary>Acknowledgements a failed flush left behind are tried again (the maintenance job calls this).</summary>
    internal void RetryAcknowledgements()
    {
        if (!_toAcknowledge.IsEmpty) ScheduleFlush();
    }

    /// <summary>
    /// Blocks until an event is ready or Interrupt is called (true), or the timeout passes (false).
    /// Any timeout works, however long (waits are taken in slices the runtime accepts).
    /// </summary>
    internal bool Wait(TimeSpan timeout)
    {
        DateTime deadline = timeout >= DateTime.MaxValue - DateTime.UtcNow ? DateTime.MaxValue : DateTime.UtcNow + timeout;
        while (true)
        {
            if (HasEvents) return true;
            if (Interlocked.Exchange(ref _interrupts, 0) > 0) return true;
            TimeSpan left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) return false;
            // Reset, then re-check: a producer that signalled in between is never missed.
            _signal.Reset();
            if (HasEvents || Volatile.Read(ref _interrupts) > 0) continue;
            if (Volatile.Read(ref _closed)) return false;
            _signal.Wait(left < s_longestSlice ? left : s_longestSlice);
        }
    }

    private static readonly TimeSpan s_longestSlice = TimeSpan.FromHours(1);

    internal void Interrupt()
    {
        Interlocked.Increment(ref _interrupts);
        _signal.Set();
    }
}
