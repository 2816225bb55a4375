using System.Globalization;
using System.Text;
using SessionInterop.Client.Conversation;
using SessionInterop.Crypto;
using SessionInterop.Protocol;
using SessionInterop.Protocol.Protos;
using SessionInterop.State;

namespace SessionInterop.Client;

// The sending half of a 1:1 conversation (issue 14): every kind the official apps send, built as
// desktop builds it (ChatContent), queued with its TTL and its copy for our own swarm.
public sealed partial class SessionClient
{
    /// <summary>What current desktop displays of a text, in code points (ts/session/constants.ts).</summary>
    public const int DisplayedTextCodePoints = 10_000;

    /// <summary>What current desktop displays of a text from a sender without Session Pro, when Pro is enabled.</summary>
    public const int DisplayedTextCodePointsWithoutPro = 2_000;

    /// <summary>Longest emoji (reaction) accepted, in UTF-8 bytes.</summary>
    public const int MaxEmojiBytes = 64;

    /// <summary>Longest disappearing timer: what the network keeps a 1:1 message (14 days).</summary>
    public const uint MaxExpirySeconds = (uint)(MessageTtlMs / 1000);

    /// <summary>
    /// Queues one 1:1 message of any kind (reply, reaction, read receipt, typing, unsend, request
    /// acceptance, disappearing setting) and returns its request id; exactly one REQUEST_DONE
    /// follows. Validated here; encrypted and persisted before this returns.
    /// </summary>
    public ulong SendMessage(string to, OutgoingMessage message)
    {
        Live();
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(message);
        SessionId recipient = Crypto.SessionId.Parse(to, SessionIdPrefix.Standard);
        CheckQueueRoom();
        SessionId me = _identity.SessionId;
        Expiry expiry = ExpiryFor(recipient, message);
        SenderProfile profile = ProfileToSend();
        Func<long, Content> build;
        bool ownCopy = recipient != me; // a sync copy for our other devices (Note to Self is already ours)
        long ttl = MessageTtlMs;
        switch (message.Kind)
        {
            case OutgoingKind.Text:
                CheckTextSize(message.Text);
                WarnIfTruncatedByApps(message.Text);
                SessionId? quoted = message.RefTimestampMs == 0 ? null : RequiredAuthor(message.RefAuthor, "a reply");
                if (message.RefTimestampMs != 0) ProtocolErrors.CheckTimestamp(message.RefTimestampMs);
                build = _ => ChatContent.Text(message.Text, message.RefTimestampMs, quoted, profile, expiry);
                ttl = expiry.TtlMs(MessageTtlMs);
                break;
            case OutgoingKind.Reaction:
                SessionId target = RequiredAuthor(message.RefAuthor, "a reaction");
                string emoji = message.Emoji ?? "";
                if (emoji.Length == 0) throw Errors.InvalidArgument("message.no_emoji", "a reaction needs an emoji");
                if (Encoding.UTF8.GetByteCount(emoji) > MaxEmojiBytes) throw Errors.TooLarge("message.emoji_too_long", $"an emoji is at most {MaxEmojiBytes} bytes");
                bool remove = message.Flags.HasFlag(OutgoingFlags.Remove);
                ProtocolErrors.CheckTimestamp(message.RefTimestampMs);
                build = _ => ChatContent.Reaction(message.RefTimestampMs, target, emoji, remove, profile, expiry);
                ttl = expiry.TtlMs(MessageTtlMs);
                break;
            case OutgoingKind.ReadReceipt:
                var read = message.Timestamps.Concat(message.RefTimestampMs != 0 ? [message.RefTimestampMs] : []).Distinct().ToList();
                Content receipt = ChatContent.ReadReceipt(read); // validates here
                build = _ => receipt;
                ownCopy = false;
                ulong id = Enqueue(recipient, build, ttl, Expiry.Off, ownCopy);
                StartAfterReadTimers(recipient, read);
                return id;
            case OutgoingKind.Typing:
                bool started = !message.Flags.HasFlag(OutgoingFlags.Stopped);
                build = sentAt => ChatContent.Typing(started, sentAt);
                ttl = ChatContent.TypingTtlMs;
                ownCopy = false;
                break;
            case OutgoingKind.Unsend:
                ProtocolErrors.CheckTimestamp(message.RefTimestampMs);
                build = _ => ChatContent.Unsend(message.RefTimestampMs, me);
                // Our other devices delete it too; and its copy in our swarm goes ("where allowed":
                // only our own swarm accepts our delete).
                ulong unsendId = Enqueue(recipient, build, ttl, Expiry.Off, ownCopy);
                if (_store.FindOwnCopy(recipient.ToString(), message.RefTimestampMs, NowMs()) is { } copy)
                    EnqueueOwnSwarm(OutboxKind.DeleteOwn, new OwnSwarmPayload(copy.Hash, 0));
                return unsendId;
            case OutgoingKind.AcceptRequest:
                build = _ => ChatContent.AcceptRequest(profile);
                ownCopy = false;
                break;
            case OutgoingKind.ExpirySettings:
                SetConversationExpiry(recipient, expiry);
                build = _ => ChatContent.ExpiryUpdate(profile, expiry);
                break;
            default:
                throw Errors.Unsupported("message.unknown_kind", $"unknown message kind {(int)message.Kind}");
        }
        return Enqueue(recipient, build, ttl, expiry, ownCopy);
    }

    /// <summary>Replies to (quotes) the message sent at replyToTimestampMs by replyToAuthor.</summary>
    public ulong Reply(string to, string text, long replyToTimestampMs, string replyToAuthor) =>
        SendMessage(to, new OutgoingMessage(OutgoingKind.Text) { Text = text, RefTimestampMs = replyToTimestampMs, RefAuthor = replyToAuthor });

    /// <summary>Adds (or with remove, removes) a reaction to the message sent at timestampMs by author.</summary>
    public ulong React(string to, long timestampMs, string author, string emoji, bool remove = false) =>
        SendMessage(to, new OutgoingMessage(OutgoingKind.Reaction)
            { RefTimestampMs = timestampMs, RefAuthor = author, Emoji = emoji, Flags = remove ? OutgoingFlags.Remove : OutgoingFlags.None });

    /// <summary>Tells the sender their messages sent at these times were read (the apps make this an opt-in setting).</summary>
    public ulong SendReadReceipt(string to, IReadOnlyList<long> timestampsMs) =>
        SendMessage(to, new OutgoingMessage(OutgoingKind.ReadReceipt) { Timestamps = timestampsMs });

    /// <summary>Typing started or stopped.</summary>
    public ulong SendTyping(string to, bool started) =>
        SendMessage(to, new OutgoingMessage(OutgoingKind.Typing) { Flags = started ? OutgoingFlags.None : OutgoingFlags.Stopped });

    /// <summary>"Delete for everyone" of our message sent at timestampMs to <paramref name="to"/>.</summary>
    public ulong Unsend(string to, long timestampMs) =>
        SendMessage(to, new OutgoingMessage(OutgoingKind.Unsend) { RefTimestampMs = timestampMs });

    /// <summary>Accepts sessionId's message request: approves them and tells them so.</summary>
    public ulong AcceptRequest(string sessionId) => SendMessage(sessionId, new OutgoingMessage(OutgoingKind.AcceptRequest));

    // ------------------------------------------------------------------ the parts

    private static void CheckTextSize(string text)
    {
        int bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > MaxTextBytes)
            throw Errors.TooLarge("message.too_large", $"the text is {bytes} bytes; the limit is {MaxTextBytes}");
    }

    private static void CheckAttachmentCount(int count)
    {
        if (count > Attachments.AttachmentContent.MaxPerMessage)
            throw Errors.TooLarge("attachment.too_many", $"a message carries at most {Attachments.AttachmentContent.MaxPerMessage} attachments");
    }

    private void CheckQueueRoom()
    {
        if (Volatile.Read(ref _pendingSends) >= _options.MaxPendingSends)
            throw new SessionException(SessionStatus.EQueueFull, "send.queue_full", "too many messages are waiting to be sent; retry later");
    }

    /// <summary>
    /// Builds, encrypts and queues one message. The sent time is taken and the row stored under one
    /// lock (per-recipient order); the content is built with that time (a typing message repeats it).
    /// </summary>
    private ulong Enqueue(SessionId recipient, Func<long, Content> build, long ttlMs, Expiry expiry, bool ownCopy)
    {
        ulong id;
        lock (_sendOrder)
        {
            long timestamp = NextSendTimestamp();
            // The profile picture travels with every data message, as the name does (issue 15).
            Content content = Attachments.AttachmentContent.WithAvatar(build(timestamp), AvatarToSend());
            string main = MessageCodec.EncodeForRecipient(_identity, recipient, content, timestamp);
            string? own = !ownCopy ? null
                : content.DataMessage is not null ? MessageCodec.EncodeSyncCopy(_identity, recipient, content, timestamp)
                : MessageCodec.EncodeForRecipient(_identity, _identity.SessionId, content, timestamp);
            var payload = new ChatPayload(ttlMs, expiry.AfterSend, expiry.AfterRead ? expiry.Seconds : 0, main, own);
            id = StorageCall(() => _store.EnqueueSend(recipient.ToString(), (int)OutboxKind.Chat, payload.ToBytes(), timestamp, NowMs()));
            if (own is not null) StorageCall(() => { RememberOwnCopy(recipient, timestamp, own, ttlMs, payload.AfterReadSeconds); return 0; });
        }
        Interlocked.Increment(ref _pendingSends);
        ClientLog.SendQueued(_log, id, recipient.ToShortString());
        WakeOutbox();
        ApproveOnSend(recipient);
        return id;
    }

    /// <summary>
    /// Our copy of a sent message, known before it is stored (its hash is the storage server's hash of
    /// the bytes): unsend and after-read timers can find it at once. It comes back through our inbox,
    /// and this device already knows it, so its de-duplication key is marked seen.
    /// </summary>
    private void RememberOwnCopy(SessionId recipient, long timestamp, string own, long ttlMs, long afterReadSeconds)
    {
        string hash = StorageMessageHash.Compute(_identity.SessionId.AsSpan(), 0, Convert.FromBase64String(own));
        _store.SaveOwnCopy(new OwnCopy(recipient.ToString(), timestamp, hash, timestamp + ttlMs, afterReadSeconds));
        _store.MarkSeen($"m:{_identity.SessionId}:{timestamp}", SeenUntil(timestamp));
    }

    /// <summary>Queues an operation on our own swarm (no REQUEST_DONE follows).</summary>
    private void EnqueueOwnSwarm(OutboxKind kind, OwnSwarmPayload payload)
    {
        StorageCall(() => _store.EnqueueSend(SessionId, (int)kind, payload.ToBytes(), NowMs(), NowMs()));
        Interlocked.Increment(ref _pendingSends);
        WakeOutbox();
    }

    /// <summary>
    /// Reading an after-read disappearing message starts its timer: its copy in our own swarm is
    /// shortened to now + timer (the expire RPC desktop sends), for messages of this conversation
    /// (received ones we read, or ours the other party read).
    /// </summary>
    private void StartAfterReadTimers(SessionId conversation, IEnumerable<long> timestamps)
    {
        long now = NowMs();
        StartAfterReadTimers(timestamps.Select(t => _store.FindOwnCopy(conversation.ToString(), t, now)).OfType<OwnCopy>(), now);
    }

    private void StartAfterReadTimers(IEnumerable<OwnCopy> copies, long now)
    {
        foreach (OwnCopy copy in copies)
        {
            if (copy.AfterReadSeconds <= 0) continue;
            long expiry = now + copy.AfterReadSeconds * 1000;
            if (expiry >= copy.ExpiresMs) continue;
            _store.SaveOwnCopy(copy with { ExpiresMs = expiry, AfterReadSeconds = 0 });
            EnqueueOwnSwarm(OutboxKind.ExpireOwn, new OwnSwarmPayload(copy.Hash, expiry));
        }
    }

    private static SessionId RequiredAuthor(string? author, string what)
    {
        if (string.IsNullOrEmpty(author)) throw Errors.InvalidArgument("message.no_ref_author", $"{what} needs the author of the message it refers to");
        return Crypto.SessionId.Parse(author, SessionIdPrefix.Standard);
    }

    /// <summary>The message's own expiry when given, else the conversation's setting (Contacts config, synced).</summary>
    private Expiry ExpiryFor(SessionId recipient, OutgoingMessage message)
    {
        if (message.ExpiryType == 0 && message.ExpirySeconds == 0)
            return message.Kind == OutgoingKind.ExpirySettings ? Expiry.Off : ConversationExpiry(recipient);
        if (message.ExpiryType is not (1 or 2))
            throw Errors.InvalidArgument("message.bad_expiry", "expiry_type is 0 (none), 1 (after read) or 2 (after send)");
        if (message.ExpirySeconds == 0 || message.ExpirySeconds > MaxExpirySeconds)
            throw Errors.InvalidArgument("message.bad_expiry", $"a disappearing timer is 1 to {MaxExpirySeconds} seconds");
        return new Expiry((Content.Types.ExpirationType)message.ExpiryType, message.ExpirySeconds);
    }

    // The Contacts config counts modes as libsession does: 1 after send, 2 after read.
    private Expiry ConversationExpiry(SessionId recipient) => _config.Read(c => c.Contacts.Get(recipient.ToString())) switch
    {
        { ExpirationMode: 1, ExpirationSeconds: > 0 and var s } => new Expiry(Content.Types.ExpirationType.DeleteAfterSend, (uint)Math.Min(s, MaxExpirySeconds)),
        { ExpirationMode: 2, ExpirationSeconds: > 0 and var s } => new Expiry(Content.Types.ExpirationType.DeleteAfterRead, (uint)Math.Min(s, MaxExpirySeconds)),
        _ => Expiry.Off,
    };

    private void SetConversationExpiry(SessionId recipient, Expiry expiry)
    {
        long mode = expiry.AfterSend ? 1 : expiry.AfterRead ? 2 : 0;
        long nowSeconds = NowMs() / 1000;
        _config.Edit(c =>
        {
            var contact = c.Contacts.GetOrConstruct(recipient.ToString());
            c.Contacts.Set(contact with
            {
                ExpirationMode = mode, ExpirationSeconds = mode == 0 ? 0 : expiry.Seconds,
                CreatedSeconds = contact.CreatedSeconds == 0 ? nowSeconds : contact.CreatedSeconds,
            });
        });
    }

    /// <summary>The name sent with messages and when it last changed (receivers ignore older profiles).</summary>
    private SenderProfile ProfileToSend()
    {
        string? name = NameToSend();
        return new SenderProfile(name, name is null ? 0 : (ulong)_store.ProfileUpdatedSeconds(NowMs() / 1000));
    }

    /// <summary>Texts the official apps will cut when they show them: a WARN, the text still goes whole.</summary>
    private void WarnIfTruncatedByApps(string text)
    {
        if (text.Length <= DisplayedTextCodePointsWithoutPro) return;
        int codePoints = text.EnumerateRunes().Count();
        if (codePoints > DisplayedTextCodePointsWithoutPro)
            ClientLog.TextTruncatedByApps(_log, codePoints, DisplayedTextCodePoints, DisplayedTextCodePointsWithoutPro);
    }
}
