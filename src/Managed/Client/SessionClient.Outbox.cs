using System.Text;
using SessionInterop.Client.Engine;
using SessionInterop.State;

namespace SessionInterop.Client;

public sealed partial class SessionClient
{
    private const int OutboxBatch = 16;
    private const int OutboxParallelism = 4;

    /// <summary>
    /// One round of the outbox: sends the due rows. The stored bytes were fixed at Send time, so a
    /// retry after an unknown outcome stores the same message again (same hash): the swarm keeps
    /// one copy and the recipient sees it once. Each row completes exactly once, in one transaction
    /// with its REQUEST_DONE event. Rows of one destination go one after another, in the order they
    /// were accepted; different destinations go in parallel.
    /// </summary>
    private async Task<TimeSpan> OutboxStepAsync(CancellationToken token)
    {
        IReadOnlyList<OutboxEntry> due = _store.DueSends(NowMs(), OutboxBatch);
        // Woken by Send; re-check every second for rows whose backoff has expired.
        if (due.Count == 0) return TimeSpan.FromSeconds(1);
        var byDestination = due.GroupBy(e => e.Destination).Select(g => g.OrderBy(e => e.RequestId).ToList()).ToList();
        await Parallel.ForEachAsync(byDestination, new ParallelOptions { MaxDegreeOfParallelism = OutboxParallelism, CancellationToken = token },
            async (rows, ct) =>
            {
                foreach (OutboxEntry entry in rows)
                {
                    // A row that must wait holds back the later ones of its destination (per-sender order).
                    if (!await SendOneAsync(entry, ct).ConfigureAwait(false)) break;
                }
            }).ConfigureAwait(false);
        return TimeSpan.Zero;
    }

    /// <summary>Sends one row; true when it completed (either way), false when it waits for a retry.</summary>
    private async Task<bool> SendOneAsync(OutboxEntry entry, CancellationToken token)
    {
        if (NowMs() - entry.TimestampMs > (long)_options.SendGiveUpAfter.TotalMilliseconds)
        {
            Complete(entry, SessionStatus.ETimeout, "send.gave_up", "the message could not be stored before the retry limit", "");
            return true;
        }
        if (entry.Kind == (int)OutboxKind.Chat && ExpiredBeforeStored(entry))
        {
            Complete(entry, SessionStatus.ETimeout, "send.expired", "the disappearing message expired before it could be stored", "");
            return true;
        }
        try
        {
            if (entry.Kind is (int)OutboxKind.ExpireOwn or (int)OutboxKind.DeleteOwn or (int)OutboxKind.GroupInternal or (int)OutboxKind.GroupDirect)
            {
                await (entry.Kind switch
                {
                    (int)OutboxKind.GroupInternal => (Task)DeliverToGroupAsync(entry, token),
                    (int)OutboxKind.GroupDirect => _network!.StoreAsync(entry.Destination, 0, Encoding.ASCII.GetString(entry.Payload), MessageTtlMs, token),
                    _ => ActOnOwnSwarmAsync(entry, token),
                }).ConfigureAwait(false);
                if (_store.CompleteSilently(entry.RequestId)) Interlocked.Decrement(ref _pendingSends);
                return true;
            }
            string messageId = entry.Kind switch
            {
                (int)OutboxKind.Text => (await _network!.StoreAsync(entry.Destination, 0, Encoding.ASCII.GetString(entry.Payload), MessageTtlMs, token).ConfigureAwait(false)).Hash ?? "",
                (int)OutboxKind.Chat => await DeliverChatAsync(entry, token).ConfigureAwait(false),
                (int)OutboxKind.AttachmentMessage => await SendAttachmentMessageAsync(entry, token).ConfigureAwait(false),
                (int)OutboxKind.Download => await DownloadStepAsync(entry, token).ConfigureAwait(false),
                (int)OutboxKind.Avatar => await SetAvatarStepAsync(entry, token).ConfigureAwait(false),
                (int)OutboxKind.RoomAttachmentPost => await SendRoomAttachmentPostAsync(entry, token).ConfigureAwait(false),
                (int)OutboxKind.GroupMessage => await DeliverToGroupAsync(entry, token).ConfigureAwait(false),
                _ => await DeliverToCommunityAsync(entry, token).ConfigureAwait(false),
            };
            Complete(entry, SessionStatus.Ok, "", "", messageId);
            ClientLog.SendStored(_log, entry.RequestId, entry.Attempts + 1);
            return true;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Stopping: the row stays in the outbox and is sent after the next start.
            return false;
        }
        catch (Exception e)
        {
            Failure failure = Failure.Of(e);
            switch (failure.Kind)
            {
                case FailureKind.Network:
                    long delay = Backoff(entry.Attempts);
                    _store.Reschedule(entry.RequestId, NowMs() + delay, failure.Code);
                    ClientLog.SendRetry(_log, entry.RequestId, entry.Attempts + 1, failure.Code, delay);
                    return false;
                case FailureKind.Storage:
                    throw; // the runner reports it and backs off; the row is still there
                default:
                    // Refused by the destination, garbage in reply, or our own bug: this row is done
                    // (a poison row must not be first in line forever), the others go on.
                    Complete(entry, failure.Status, failure.Code, failure.Message, "");
                    ClientLog.SendFailed(_log, entry.RequestId, failure.Code);
                    if (failure.Kind is FailureKind.Remote or FailureKind.Internal) ReportFailure(OutboxJob, failure);
                    return true;
            }
        }
    }

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
        CleanUpAfter(entry);
    }

    /// <summary>The account's Ed25519 secret key: the identity's own pinned buffer, never a copy.</summary>
    private ReadOnlyMemory<byte> EdSecretKey() => _identity.Ed25519SecretKeyMemory;
}
