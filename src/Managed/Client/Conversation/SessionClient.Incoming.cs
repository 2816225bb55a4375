using SessionInterop.Client.Conversation;
using SessionInterop.Crypto;
using SessionInterop.Network.Client;
using SessionInterop.Protocol;
using SessionInterop.Protocol.Protos;
using SessionInterop.State;

namespace SessionInterop.Client;

// The receiving half of a 1:1 conversation (issue 14): which events a decoded message gives, and
// what the client learns from it (profiles, approvals).
public sealed partial class SessionClient
{
    /// <summary>
    /// The events one retrieved message gives (none for blocked senders, expired disappearing
    /// messages and kinds without an event), and the sender's profile when it carried one.
    /// </summary>
    private (IReadOnlyList<SessionEvent> Events, ProfileSeen? Profile) IncomingEvents(RetrievedMessage message, DecodedMessage decoded, long nowMs)
    {
        if (IsBlocked(decoded.Sender)) return ([], null);
        // Never late: a disappear-after-send message whose timer has run out (the apps deleted it).
        if (IncomingClassifier.HasExpired(decoded, nowMs))
        {
            ClientLog.DroppedExpired(_log);
            return ([], null);
        }
        // Group invites and promotions (issue 17) arrive 1:1 and become group events.
        if (GroupDirectEvents(message, decoded) is { } groupEvents) return (groupEvents, null);
        bool isRequest = decoded.Sender != _identity.SessionId && !IsApprovedContact(decoded.Sender);
        IReadOnlyList<SessionEvent> events = IncomingClassifier.Classify(decoded, _identity.SessionId, message.Hash, isRequest);
        ProfileSeen? profile = null;
        if (decoded.Sender != _identity.SessionId && IncomingClassifier.ProfileOf(decoded.Content) is { } p)
        {
            long updated = p.HasLastProfileUpdateSeconds ? (long)Math.Min(p.LastProfileUpdateSeconds, long.MaxValue) : 0;
            string sender = decoded.Sender.ToString();
            var ev = SessionEvent.Create(EventType.Profile, timestampMs: decoded.TimestampMs, value: updated,
                conversation: sender, sender: sender, messageId: message.Hash) with { Details = new() { DisplayName = p.DisplayName } };
            profile = new ProfileSeen(sender, p.DisplayName, updated, ev);
        }
        return (events, profile);
    }

    /// <summary>What the account learns from a newly recorded message (kept in the synced Contacts config).</summary>
    private void AfterRecorded(RetrievedMessage message, DecodedMessage decoded, IReadOnlyList<SessionEvent> events, ProfileSeen? profile)
    {
        if (decoded.Sender == _identity.SessionId || IsBlocked(decoded.Sender)) return;
        // After-read disappearing messages start their timers when read: ours when the other party's
        // receipt arrives, theirs (kept here by hash) when we send ours.
        var receipts = events.Where(e => e.Type == EventType.Receipt).Select(e => e.RefTimestampMs).ToList();
        if (receipts.Count > 0) StartAfterReadTimers(decoded.Sender, receipts);
        if (events.FirstOrDefault(e => e.Type == EventType.Message) is { ExpiryType: 1, ExpirySeconds: > 0 } readOnce)
            _store.SaveOwnCopy(new OwnCopy(decoded.Sender.ToString(), decoded.TimestampMs, message.Hash,
                message.ExpirationMs > 0 ? message.ExpirationMs : decoded.TimestampMs + MessageTtlMs, readOnce.ExpirySeconds));
        NoteApprovedMe(decoded.Sender);
        bool accepted = events.Any(e => e.Type == EventType.RequestResponse && e.Value == 1);
        _config.Edit(c =>
        {
            if (c.Contacts.Get(decoded.Sender.ToString()) is not { } contact) return;
            var updated = contact;
            // The config keeps at most 100 bytes of a name (cut on a character boundary).
            string? name = profile is null ? null : System.Text.Encoding.UTF8.GetString(SessionInterop.Config.UserText.TruncateName(profile.Name));
            if (name is not null && contact.Name != name) updated = updated with { Name = name };
            if (accepted && !contact.ApprovedMe) updated = updated with { ApprovedMe = true };
            if (updated != contact) c.Contacts.Set(updated);
        });
    }

    private bool IsApprovedContact(SessionId sender) => _config.Read(c => c.Contacts.Get(sender.ToString())?.Approved ?? false);
}
