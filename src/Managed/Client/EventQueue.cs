using System.Collections.Concurrent;
using SessionInterop.State;

namespace SessionInterop.Client;

/// <summary>
/// The events the app drains with Poll. Messages and completions live in the state database until
/// acknowledged (the app's next Poll, Release or Dispose), so a crash never loses one; connection
/// changes and logs are transient and live only in memory. Producers run on library threads; Poll
/// runs on the app's thread. The wakeup callback fires on each empty → non-empty transition.
/// </summary>
internal sealed class EventQueue
{
    private readonly StateStore _store;
    private readonly Action? _wakeup;
    private readonly ConcurrentQueue<SessionEvent> _transient = new();
    private readonly ManualResetEventSlim _signal = new(false);
    private readonly object _gate = new();
    private long _persistedPending;   // persisted events not yet handed out
    private long _deliveredUpTo;      // highest persisted seq handed to the app
    private long _acknowledgedUpTo;   // highest persisted seq the app has released
    private int _interrupts;

    internal EventQueue(StateStore store, Action? wakeup)
    {
        _store = store;
        _wakeup = wakeup;
        // Events left undrained by an earlier run are delivered again.
        _persistedPending = store.EventsAfter(0, int.MaxValue).Count;
    }

    internal bool HasEvents => Volatile.Read(ref _persistedPending) > 0 || !_transient.IsEmpty;

    /// <summary>Queues a durable event (already written to the store by the caller's transaction).</summary>
    internal void NotifyPersisted(int count = 1)
    {
        bool wasEmpty = !HasEvents;
        Interlocked.Add(ref _persistedPending, count);
        Signal(wasEmpty);
    }

    /// <summary>Queues a durable event and writes it.</summary>
    internal void AddPersisted(SessionEvent e)
    {
        _store.AppendEvent(e);
        NotifyPersisted();
    }

    /// <summary>Queues a transient event (connection state, stopped, log).</summary>
    internal void AddTransient(SessionEvent e)
    {
        bool wasEmpty = !HasEvents;
        _transient.Enqueue(e);
        Signal(wasEmpty);
    }

    /// <summary>
    /// Acknowledges the previous batch and returns up to <paramref name="max"/> ready events.
    /// Never blocks on the network; reads the local database only when persisted events are pending.
    /// </summary>
    internal IReadOnlyList<SessionEvent> Poll(int max)
    {
        lock (_gate)
        {
            Acknowledge();
            var batch = new List<SessionEvent>(Math.Min(max, 64));
            while (batch.Count < max && _transient.TryDequeue(out SessionEvent? t)) batch.Add(t);
            if (batch.Count < max && Volatile.Read(ref _persistedPending) > 0)
            {
                IReadOnlyList<SessionEvent> stored = _store.EventsAfter(_deliveredUpTo, max - batch.Count);
                if (stored.Count > 0)
                {
                    _deliveredUpTo = stored[^1].Seq;
                    Interlocked.Add(ref _persistedPending, -stored.Count);
                    batch.AddRange(stored);
                }
                else
                {
                    Interlocked.Exchange(ref _persistedPending, 0);
                }
            }
            return batch;
        }
    }

    /// <summary>Acknowledges everything delivered so far (the app is done with the batch).</summary>
    internal void Acknowledge()
    {
        lock (_gate)
        {
            if (_deliveredUpTo > _acknowledgedUpTo)
            {
                _store.AcknowledgeEvents(_deliveredUpTo);
                _acknowledgedUpTo = _deliveredUpTo;
            }
        }
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

    private void Signal(bool wasEmpty)
    {
        _signal.Set();
        if (wasEmpty) _wakeup?.Invoke();
    }
}
