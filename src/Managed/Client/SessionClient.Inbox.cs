using System.Text;
using SessionInterop.Network.Client;
using SessionInterop.Protocol;
using SessionInterop.State;

namespace SessionInterop.Client;

public sealed partial class SessionClient
{
    /// <summary>
    /// Polls namespace 0 of our swarm: quickly after activity, backing off to MaxPollInterval when
    /// idle. Each retrieved message is decoded and recorded exactly once (seen key, last hash and
    /// event in one transaction); a message that does not decode or verify is logged and dropped.
    /// </summary>
    private async Task PollLoopAsync(CancellationToken token)
    {
        TimeSpan interval = _options.MinPollInterval;
        long nextPruneMs = 0;
        string? pagingAt = null; // the member that answered "more": its next page is asked of it
        while (!token.IsCancellationRequested)
        {
            // Seen keys of messages the network has expired can never match again: forget them
            // at start and hourly, so the table does not grow forever.
            if (NowMs() >= nextPruneMs)
            {
                _store.PruneSeen(NowMs());
                nextPruneMs = NowMs() + 3_600_000;
            }
            try
            {
                // last_hash is per swarm member (each has its own order), as the official apps keep it.
                RetrieveResult result = await _network!.RetrieveAsync(EdSecretKey(), SessionId, 0, node => _store.LastHash(node, 0), pagingAt, token)
                    .ConfigureAwait(false);
                string answered = result.NodeEd25519Hex ?? "";
                int fresh = 0;
                foreach (RetrievedMessage message in result.Messages) fresh += Record(message, answered) ? 1 : 0;
                ClientLog.Retrieved(_log, result.Messages.Count, fresh);
                pagingAt = result.More ? answered : null;
                if (result.More) continue; // drain a backlog without waiting
                interval = fresh > 0 ? _options.MinPollInterval : Next(interval);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested) { return; }
            catch (SessionException e)
            {
                interval = Next(interval);
                ClientLog.PollFailed(_log, e.Code, (long)interval.TotalMilliseconds);
            }
            await Task.Delay(interval, _options.Time, token).ConfigureAwait(false);
        }
    }

    private TimeSpan Next(TimeSpan interval) =>
        TimeSpan.FromTicks(Math.Min(_options.MaxPollInterval.Ticks, interval.Ticks * 2));

    /// <summary>Records one retrieved message (from swarm member <paramref name="node"/>); true when it produced a new MESSAGE event.</summary>
    private bool Record(RetrievedMessage message, string node)
    {
        long now = NowMs();
        // Already received through another member (their listings overlap): only move this member's cursor.
        if (_store.HasSeen(StateStore.HashKey(message.Hash)))
        {
            _store.AdvanceLastHash(node, 0, message.Hash, now);
            return false;
        }
        DecodedMessage decoded;
        try
        {
            decoded = MessageCodec.Decode(_identity, message.Data);
        }
        catch (SessionException e)
        {
            ClientLog.DroppedMessage(_log, e.Code);
            _store.RecordIncoming(StateStore.HashKey(message.Hash), message.ExpirationMs, node, 0, message.Hash, now, null);
            return false;
        }

        // The official clients de-duplicate by (sender, sent timestamp) (protocol-crypto.md §6.5).
        string dedupKey = $"m:{decoded.Sender}:{decoded.TimestampMs}";
        string? text = TextContent.TextOf(decoded.Content);
        SessionEvent? ev = text is null ? null : SessionEvent.Create(EventType.Message,
            timestampMs: decoded.TimestampMs, conversation: decoded.Sender.ToString(), sender: decoded.Sender.ToString(),
            messageId: message.Hash, text: Encoding.UTF8.GetBytes(text));
        // The event reaches the queue when this transaction commits (StateStore.EventCommitted).
        bool fresh = _store.RecordIncoming(dedupKey, message.ExpirationMs, node, 0, message.Hash, now, ev);
        return fresh && ev is not null;
    }
}
