using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SessionInterop.State;

namespace SessionInterop.Client;

/// <summary>The async/await face of SessionClient for .NET apps (the C ABI uses Poll/Wait).</summary>
public sealed partial class SessionClient
{
    // Released by the event queue's wakeup (empty -> non-empty); Events() awaits it instead of a thread.
    private readonly SemaphoreSlim _eventsReady = new(0, 1);
    // SendAsync waiters by request id; filled from StateStore.EventCommitted only while a SendAsync runs.
    private readonly ConcurrentDictionary<ulong, TaskCompletionSource<SessionEvent>> _sendWaiters = new();
    private int _asyncSends;
    private int _watchingCompletions;

    /// <summary>
    /// Opens the client from options bound through the options pattern
    /// (services.Configure&lt;SessionClientOptions&gt;(...) or AddSessionClient), logging to
    /// <paramref name="loggerFactory"/> unless the options name their own LoggerFactory.
    /// </summary>
    public static SessionClient Open(IOptions<SessionClientOptions> options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        SessionClientOptions copy = options.Value.Copy();
        copy.LoggerFactory ??= loggerFactory;
        return Open(copy);
    }

    /// <summary>
    /// Sends text to a Session ID (or a joined community URL) and completes once the network has
    /// stored it, with the stored message's id. Throws SessionException when the message cannot be
    /// queued or the network refused it; cancelling stops the waiting, not the sending (the message
    /// stays queued and its RequestDone event still arrives). The client must be started.
    /// </summary>
    public async Task<string> SendAsync(string to, string text, CancellationToken cancellationToken = default)
    {
        WatchCompletions();
        Interlocked.Increment(ref _asyncSends);
        ulong id = 0;
        try
        {
            // Encrypting and the durable insert touch the disk: keep them off the caller's thread.
            id = await Task.Run(() => Send(to, text), cancellationToken).ConfigureAwait(false);
            SessionEvent done = await _sendWaiters.GetOrAdd(id, NewWaiter).Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (done.Status != SessionStatus.Ok)
                throw new SessionException(done.Status, done.ErrorCode, System.Text.Encoding.UTF8.GetString(done.Text));
            return done.MessageId;
        }
        finally
        {
            if (id != 0) _sendWaiters.TryRemove(id, out _);
            // With no SendAsync in flight, completions recorded for plain Send calls are nobody's: drop them.
            // (A SendAsync that starts now has not sent yet, so none of these can be its own.)
            if (Interlocked.Decrement(ref _asyncSends) == 0)
            {
                foreach (ulong stale in _sendWaiters.Keys) _sendWaiters.TryRemove(stale, out _);
            }
        }
    }

    /// <summary>
    /// Every event as it arrives (messages, RequestDone, connection changes, ...), until cancelled
    /// or the client is disposed. Waits without a thread: the queue's wakeup resumes it. An event
    /// counts as received (never delivered again, even after a restart) once the loop moved past
    /// it. One consumer at a time, and not together with Poll.
    /// </summary>
    public async IAsyncEnumerable<SessionEvent> Events([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_disposed) yield break;
            IReadOnlyList<SessionEvent> batch = Poll(64);
            if (batch.Count == 0)
            {
                // A wakeup between the Poll above and this wait leaves the semaphore set: no event is missed.
                await _eventsReady.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }
            foreach (SessionEvent e in batch) yield return e;
        }
    }

    private void SignalEventsReady()
    {
        try { _eventsReady.Release(); }
        catch (SemaphoreFullException) { /* already signalled */ }
    }

    private void WatchCompletions()
    {
        if (Interlocked.Exchange(ref _watchingCompletions, 1) == 0) _store.EventCommitted += OnEventCommitted;
    }

    private void OnEventCommitted(SessionEvent e)
    {
        if (e.Type != EventType.RequestDone || Volatile.Read(ref _asyncSends) == 0) return;
        _sendWaiters.GetOrAdd(e.RequestId, NewWaiter).TrySetResult(e);
    }

    private static TaskCompletionSource<SessionEvent> NewWaiter(ulong _) => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
