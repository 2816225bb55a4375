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
                RetrieveResult result = await _network!.RetrieveAsync(EdSecretKey(), SessionId, 0, _store.LastHash(0), token)
                    .ConfigureAwait(false);
                int fresh = 0;
                foreach (RetrievedMessage message in result.Messages) fresh += Record(message) ? 1 : 0;
                ClientLog.Retrieved(_log, result.Messages.Count, fresh);
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

    /// <summary>Records one retrieved message; true when it produced a new MESSAGE event.</summary>
    private bool Record(RetrievedMessage message)
    {
        long now = NowMs();
        DecodedMessage decoded;
        try
        {
            decoded = MessageCodec.Decode(_identity, message.Data);
        }
        catch (SessionException e)
        {
            ClientLog.DroppedMessage(_log, e.Code);
            _store.RecordIncoming("h:" + message.Hash, message.ExpirationMs, 0, message.Hash, now, null);
            return false;
        }

        // The official clients de-duplicate by (sender, sent timestamp) (protocol-crypto.md §6.5).
        string dedupKey = $"m:{decoded.Sender}:{decoded.TimestampMs}";
        // Blocked senders (Contacts config, synced across devices) are recorded as seen, never shown.
        bool blocked = IsBlocked(decoded.Sender);
        if (!blocked) NoteApprovedMe(decoded.Sender);
        string? text = blocked ? null : TextContent.TextOf(decoded.Content);
        SessionEvent? ev = text is null ? null : SessionEvent.Create(EventType.Message,
            timestampMs: decoded.TimestampMs, conversation: decoded.Sender.ToString(), sender: decoded.Sender.ToString(),
            messageId: message.Hash, text: Encoding.UTF8.GetBytes(text));
        // The event reaches the queue when this transaction commits (StateStore.EventCommitted).
        bool fresh = _store.RecordIncoming(dedupKey, message.ExpirationMs, 0, message.Hash, now, ev);
        return fresh && ev is not null;
    }
}
