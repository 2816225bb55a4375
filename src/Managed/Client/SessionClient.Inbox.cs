using System.Text;
using SessionInterop.Client.Engine;
using SessionInterop.Network.Client;
using SessionInterop.Protocol;
using SessionInterop.State;

namespace SessionInterop.Client;

public sealed partial class SessionClient
{
    private TimeSpan _inboxInterval;
    private string? _inboxPagingAt; // the member that answered "more": its next page is asked of it

    /// <summary>
    /// One poll of namespace 0 of our swarm: quickly after activity, backing off to MaxPollInterval
    /// when idle, paused while the app is behind on draining events. Each retrieved message is
    /// decoded and recorded exactly once (seen keys, that member's last hash and event in one
    /// transaction); a message that does not decode or verify, or is a replay, is logged and
    /// dropped. A batch is recorded in sent order, so one sender's messages reach the app in the
    /// order they were sent.
    /// </summary>
    private async Task<TimeSpan> InboxStepAsync(CancellationToken token)
    {
        if (AppIsBehind) return _options.MinPollInterval;
        // last_hash is per swarm member (each has its own order), as the official apps keep it.
        RetrieveResult result = await _network!.RetrieveAsync(EdSecretKey(), SessionId, 0, node => _store.LastHash(node, 0), _inboxPagingAt, token)
            .ConfigureAwait(false);
        string node = result.NodeEd25519Hex ?? "";
        string? lastHash = result.Messages.LastOrDefault()?.Hash;
        // Messages already received through another member (their listings overlap) are not decoded again.
        var batch = result.Messages.Where(message => !_store.HasSeen(StateStore.HashKey(message.Hash)))
            .Select(message => (Message: message, Decoded: Decode(message)))
            // OrderBy is stable: equal times (and undecodable messages, first) keep the network's order.
            .OrderBy(m => m.Decoded?.TimestampMs ?? long.MinValue).ToList();
        int fresh = 0;
        for (int i = 0; i < batch.Count; i++)
        {
            // The member's last hash moves with the batch's last record: a crash mid-batch retrieves it again.
            string? hash = i == batch.Count - 1 ? lastHash : null;
            fresh += RecordItem(batch[i].Message, batch[i].Decoded, node, hash) ? 1 : 0;
        }
        if (batch.Count == 0 && lastHash is not null) _store.AdvanceLastHash(node, 0, lastHash, NowMs());
        ClientLog.Retrieved(_log, result.Messages.Count, fresh);
        _inboxPagingAt = result.More ? node : null;
        if (result.More) return TimeSpan.Zero; // drain a backlog without waiting (at the same member)
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

    /// <summary>Records one message retrieved from swarm member <paramref name="node"/>; true when it produced a new MESSAGE event.</summary>
    private bool RecordItem(RetrievedMessage message, DecodedMessage? decoded, string node, string? lastHash)
    {
        long now = NowMs();
        if (decoded is null)
        {
            // Recorded as seen so the hash advances; it can never produce an event.
            _store.RecordIncoming(StateStore.HashKey(message.Hash), SeenUntil(now), node, 0, message.Hash, lastHash, now, null);
            return false;
        }

        // The official clients de-duplicate by (sender, sent timestamp) (protocol-crypto.md §6.5).
        // The key is kept as long as the message could be replayed, whatever the node says.
        string dedupKey = $"m:{decoded.Sender}:{decoded.TimestampMs}";
        // Blocked senders (Contacts config, synced across devices) are recorded as seen, never shown.
        bool blocked = IsBlocked(decoded.Sender);
        if (!blocked) NoteApprovedMe(decoded.Sender);
        string? text = blocked ? null : TextContent.TextOf(decoded.Content);
        // A message of attachments only is a message too (its text is empty).
        var (attachments, avatar) = Attachments.AttachmentContent.Read(decoded.Content);
        if (!blocked && text is null && attachments.Count > 0 && decoded.Content.DataMessage.Flags == 0) text = "";
        SessionEvent? ev = text is null ? null : SessionEvent.Create(EventType.Message,
            timestampMs: decoded.TimestampMs, conversation: decoded.Sender.ToString(), sender: decoded.Sender.ToString(),
            messageId: message.Hash, text: Encoding.UTF8.GetBytes(text)) with { Details = WithAttachments(attachments, avatar) };
        // The event reaches the queue when this transaction commits (StateStore.EventCommitted).
        bool fresh = _store.RecordIncoming(dedupKey, SeenUntil(decoded.TimestampMs), node, 0, message.Hash, lastHash, now, ev);
        return fresh && ev is not null;
    }

    private static State.Stored.EventDetails WithAttachments(List<State.Stored.AttachmentRef> attachments, State.Stored.AttachmentRef? avatar)
    {
        var details = new State.Stored.EventDetails();
        details.Attachments.Add(attachments);
        if (avatar is not null) details.Avatar = avatar;
        return details;
    }
}
