using System.Text;
using SessionInterop.Client.Engine;
using SessionInterop.Network.Client;
using SessionInterop.Protocol;
using SessionInterop.State;

namespace SessionInterop.Client;

public sealed partial class SessionClient
{
    private TimeSpan _inboxInterval;

    /// <summary>
    /// One poll of namespace 0 of our swarm: quickly after activity, backing off to MaxPollInterval
    /// when idle, paused while the app is behind on draining events. Each retrieved message is
    /// decoded and recorded exactly once (seen key, last hash and event in one transaction); a
    /// message that does not decode or verify, or is a replay, is logged and dropped. A batch is
    /// recorded in sent order, so one sender's messages reach the app in the order they were sent.
    /// </summary>
    private async Task<TimeSpan> InboxStepAsync(CancellationToken token)
    {
        if (AppIsBehind) return _options.MinPollInterval;
        RetrieveResult result = await _network!.RetrieveAsync(EdSecretKey(), SessionId, 0, _store.LastHash(0), token)
            .ConfigureAwait(false);
        int fresh = 0;
        var batch = result.Messages.Select(message => (Message: message, Decoded: Decode(message))).ToList();
        string? lastHash = batch.Count > 0 ? batch[^1].Message.Hash : null;
        // OrderBy is stable: equal times (and undecodable messages, first) keep the network's order.
        var ordered = batch.OrderBy(m => m.Decoded?.TimestampMs ?? long.MinValue).ToList();
        for (int i = 0; i < ordered.Count; i++)
        {
            // The last hash moves with the batch's last record: a crash mid-batch retrieves it again.
            string? hash = i == ordered.Count - 1 ? lastHash : null;
            fresh += RecordItem(ordered[i].Message, ordered[i].Decoded, hash) ? 1 : 0;
        }
        ClientLog.Retrieved(_log, result.Messages.Count, fresh);
        if (result.More) return TimeSpan.Zero; // drain a backlog without waiting
        _inboxInterval = fresh > 0 || _inboxInterval == TimeSpan.Zero ? _options.MinPollInterval : Next(_inboxInterval);
        return _inboxInterval;
    }

    private TimeSpan Next(TimeSpan interval) =>
        TimeSpan.FromTicks(Math.Min(_options.MaxPollInterval.Ticks, interval.Ticks * 2));

    /// <summary>Decodes and verifies one retrieved message; null (logged) when it is bad or a replay.</summary>
    private DecodedMessage? Decode(RetrievedMessage message)
    {
        try
        {
            DecodedMessage decoded = MessageCodec.Decode(_identity, message.Data);
            if (!IsReplay(decoded.TimestampMs)) return decoded;
            ClientLog.DroppedMessage(_log, "message.replay");
            return null;
        }
        catch (Exception e)
        {
            Failure failure = Failure.Of(e);
            if (failure.Kind is FailureKind.Storage) throw;
            ClientLog.DroppedMessage(_log, failure.Code);
            if (failure.Kind is FailureKind.Internal) ReportFailure(InboxJob, failure);
            return null;
        }
    }

    /// <summary>Records one retrieved message; true when it produced a new MESSAGE event.</summary>
    private bool RecordItem(RetrievedMessage message, DecodedMessage? decoded, string? lastHash)
    {
        long now = NowMs();
        if (decoded is null)
        {
            // Recorded as seen so the hash advances; it can never produce an event.
            _store.RecordIncoming("h:" + message.Hash, SeenUntil(now), 0, lastHash, now, null);
            return false;
        }

        // The official clients de-duplicate by (sender, sent timestamp) (protocol-crypto.md §6.5).
        // The key is kept as long as the message could be replayed, whatever the node says.
        string dedupKey = $"m:{decoded.Sender}:{decoded.TimestampMs}";
        string? text = TextContent.TextOf(decoded.Content);
        SessionEvent? ev = text is null ? null : SessionEvent.Create(EventType.Message,
            timestampMs: decoded.TimestampMs, conversation: decoded.Sender.ToString(), sender: decoded.Sender.ToString(),
            messageId: message.Hash, text: Encoding.UTF8.GetBytes(text));
        // The event reaches the queue when this transaction commits (StateStore.EventCommitted).
        bool fresh = _store.RecordIncoming(dedupKey, SeenUntil(decoded.TimestampMs), 0, lastHash, now, ev);
        return fresh && ev is not null;
    }
}
