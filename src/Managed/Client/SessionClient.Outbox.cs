using System.Text;
using SessionInterop.State;

namespace SessionInterop.Client;

public sealed partial class SessionClient
{
    private const int OutboxBatch = 16;
    private const int OutboxParallelism = 4;
    private byte[]? _edSecretKeyCopy;

    /// <summary>
    /// Sends due outbox rows until stopped. The stored bytes were fixed at Send time, so a retry
    /// after an unknown outcome stores the same message again (same hash): the swarm keeps one copy
    /// and the recipient sees it once. Each row completes exactly once, in one transaction with its
    /// REQUEST_DONE event.
    /// </summary>
    private async Task SendLoopAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            IReadOnlyList<OutboxEntry> due = _store.DueSends(NowMs(), OutboxBatch);
            if (due.Count == 0)
            {
                // Wake on a new Send, or re-check every second for rows whose backoff has expired.
                await _outboxSignal.WaitAsync(TimeSpan.FromSeconds(1), token).ConfigureAwait(false);
                continue;
            }
            await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = OutboxParallelism, CancellationToken = token },
                async (entry, ct) => await SendOneAsync(entry, ct).ConfigureAwait(false)).ConfigureAwait(false);
        }
    }

    private async Task SendOneAsync(OutboxEntry entry, CancellationToken token)
    {
        if (NowMs() - entry.TimestampMs > (long)_options.SendGiveUpAfter.TotalMilliseconds)
        {
            Complete(entry, SessionStatus.ETimeout, "send.gave_up", "the message could not be stored before the retry limit", "");
            return;
        }
        try
        {
            string messageId = entry.Kind == (int)OutboxKind.Text
                ? (await _network!.StoreAsync(entry.Destination, 0, Encoding.ASCII.GetString(entry.Payload), MessageTtlMs, token).ConfigureAwait(false)).Hash ?? ""
                : await DeliverToCommunityAsync(entry, token).ConfigureAwait(false);
            Complete(entry, SessionStatus.Ok, "", "", messageId);
            ClientLog.SendStored(_log, entry.RequestId, entry.Attempts + 1);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Stopping: the row stays in the outbox and is sent after the next start.
        }
        catch (SessionException e) when (IsRetryable(e))
        {
            long delay = Backoff(entry.Attempts);
            _store.Reschedule(entry.RequestId, NowMs() + delay, e.Code);
            ClientLog.SendRetry(_log, entry.RequestId, entry.Attempts + 1, e.Code, delay);
        }
        catch (SessionException e)
        {
            Complete(entry, e.Status, e.Code, e.Message, "");
            ClientLog.SendFailed(_log, entry.RequestId, e.Code);
        }
    }

    /// <summary>
    /// Network trouble, timeouts and a clock the network disagrees with are worth another attempt
    /// (new path, new swarm, corrected clock); a request the server refuses is not.
    /// </summary>
    private static bool IsRetryable(SessionException e) =>
        e.IsTransient || e.Status is SessionStatus.ECancelled || e.Code == "network.clock_out_of_sync";

    /// <summary>1 s, 2 s, 4 s … capped at 60 s, with ±20 % jitter so clients do not retry in step.</summary>
    private static long Backoff(int attempts)
    {
        double seconds = Math.Min(60, Math.Pow(2, Math.Min(attempts, 6)));
        return (long)(seconds * 1000 * (0.8 + 0.4 * Random.Shared.NextDouble()));
    }

    private void Complete(OutboxEntry entry, SessionStatus status, string code, string detail, string messageHash)
    {
        var done = SessionEvent.Create(EventType.RequestDone, requestId: entry.RequestId, status: status,
            timestampMs: entry.TimestampMs, conversation: entry.Destination, messageId: messageHash,
            text: status == SessionStatus.Ok ? null : Encoding.UTF8.GetBytes(detail), errorCode: code);
        if (_store.CompleteSend(entry.RequestId, done)) Interlocked.Decrement(ref _pendingSends);
    }

    private ReadOnlyMemory<byte> EdSecretKey() => _edSecretKeyCopy ??= _identity.Ed25519SecretKey.ToArray();

    private void ZeroSecretKeyCopy()
    {
        if (_edSecretKeyCopy is not null) Interop.LibSodium.Zero(_edSecretKeyCopy);
    }
}
