using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SessionInterop.Client.Engine;
using SessionInterop.Crypto;
using SessionInterop.Network.Client;
using SessionInterop.Protocol;
using SessionInterop.Protocol.Protos;
using SessionInterop.State;

namespace SessionInterop.Client;

// Communities (SOGS, protocol-network.md §7, protocol-crypto.md §7–8): join/leave by URL, signed
// padded posts, blinded DMs through the server inbox, and one batched poll per server, always over
// onion v4. Conversation ids are CommunityAddress strings (docs/communities.md).
public sealed partial class SessionClient
{
    /// <summary>Items asked for per room and poll (the server's maximum).</summary>
    private const int CommunityPageSize = 256;

    /// <summary>History delivered when a room is first read (desktop's default page).</summary>
    private const int RecentOnJoin = 100;

    /// <summary>
    /// Joins a community room by its URL (http(s)://host[:port]/room?public_key=hex) and returns its
    /// conversation id (the canonical URL). Persisted; polling starts at once when the client runs.
    /// No network I/O happens here: an unreachable server shows up as failed polls in the log.
    /// </summary>
    public string JoinCommunity(string url)
    {
        Live();
        CommunityAddress address = RoomAddress(url);
        string id = address.ToString();
        if (StorageCall(() => _store.AddCommunity(id, address.ServerKey, NowMs())))
            ClientLog.CommunityJoined(_log, address.Room);
        _config.Edit(c => AddCommunityToConfig(c, id));
        WakeCommunities();
        return id;
    }

    /// <summary>The conversation id JoinCommunity would return for a room URL, without joining (validates it).</summary>
    internal static string CommunityConversationId(string url) => RoomAddress(url).ToString();

    private static CommunityAddress RoomAddress(string url)
    {
        CommunityAddress address = CommunityAddress.Parse(url);
        if (address.IsDirect) throw Errors.InvalidArgument("community.bad_url", "a room URL is needed, not a DM conversation");
        return address;
    }

    /// <summary>Leaves a joined room (by its URL or conversation id); false when it was not joined.</summary>
    public bool LeaveCommunity(string conversation)
    {
        Live();
        string id = CommunityAddress.Parse(conversation).ToString();
        RemoveCommunityFromConfig(id);
        return StorageCall(() => _store.RemoveCommunity(id));
    }

    /// <summary>Conversation ids of the joined rooms.</summary>
    public IReadOnlyList<string> JoinedCommunities() => StorageCall(() => Live()._store.Communities().Select(c => c.Id).ToList());

    /// <summary>Our blinded (15) id on the server of a community URL or conversation id.</summary>
    public string BlindedIdFor(string conversation) =>
        Live()._identity.Blinded15(CommunityAddress.Parse(conversation).ServerPublicKey).Id.ToString();

    // ------------------------------------------------------------------ sending

    private ulong SendToCommunity(string to, string text)
    {
        CommunityAddress address = CommunityAddress.Parse(to);
        string destination = address.ToString();
        if (!address.IsDirect && !StorageCall(() => _store.Communities().Any(c => c.Id == destination)))
            throw Errors.NotFound("community.not_joined", "join the community before posting to it");
        CheckTextSize(text);
        CheckQueueRoom();

        ulong id;
        lock (_sendOrder) // as in Send: one destination's rows are stored in sent-time order
        {
            long timestamp = NextSendTimestamp();
            (byte[] payload, OutboxKind kind) = EncodeForCommunity(address, TextContent.Build(text, NameToSend()), timestamp);
            id = StorageCall(() => _store.EnqueueSend(destination, (int)kind, payload, timestamp, NowMs()));
        }
        Interlocked.Increment(ref _pendingSends);
        ClientLog.SendQueued(_log, id, address.IsDirect ? "community DM" : "community " + address.Room);
        WakeOutbox();
        return id;
    }

    /// <summary>A room post (signed, padded) or a blinded DM, as the JSON body its endpoint takes.</summary>
    private (byte[] Payload, OutboxKind Kind) EncodeForCommunity(CommunityAddress address, Content content, long timestamp)
    {
        if (address.IsDirect)
        {
            string message = CommunityMessages.EncodeInbox(_identity, address.ServerPublicKey, address.Peer!.Value, content, timestamp);
            return (JsonBody(w => w.WriteString("message", message)), OutboxKind.CommunityDm);
        }
        CommunityPost post = CommunityMessages.EncodePost(_identity, address.ServerPublicKey, content, timestamp);
        return (JsonBody(w =>
        {
            w.WriteString("data", post.Data);
            w.WriteString("signature", post.Signature);
        }), OutboxKind.CommunityPost);
    }

    /// <summary>Posts an outbox row to its room or blinded inbox; returns the server's message id.</summary>
    private async Task<string> DeliverToCommunityAsync(OutboxEntry entry, CancellationToken token)
    {
        CommunityAddress address = CommunityAddress.Parse(entry.Destination);
        string endpoint = address.IsDirect ? $"/inbox/{address.Peer}" : $"/room/{address.Room}/message";
        ServerResponse response = await SendSignedAsync(address, "POST", endpoint, entry.Payload, token).ConfigureAwait(false);
        ThrowUnlessSuccess(response);
        return PostedId(response);
    }

    private static void ThrowUnlessSuccess(ServerResponse response)
    {
        switch (response.Code)
        {
            case >= 200 and < 300: return;
            case 404: throw Errors.NotFound("community.not_found", "the community server answered 404");
            case 401 or 403: throw new SessionException(SessionStatus.EInvalidArgument, "community.forbidden", $"the community server refused the request ({response.Code})");
            case 429: throw Errors.Network("community.rate_limited", "the community server asks to slow down (429)");
            case 425: throw Errors.Network("network.clock_out_of_sync", "the community server rejected our clock or nonce (425)");
            case >= 400 and < 500: throw Errors.InvalidArgument("community.rejected", $"the community server answered {response.Code}");
            default: throw Errors.Network("community.server_error", $"the community server answered {response.Code}");
        }
    }

    /// <summary>One request through onion v4, signed with our blinded key (X-SOGS-* headers).</summary>
    private async Task<ServerResponse> SendSignedAsync(CommunityAddress address, string method, string endpoint, byte[]? body, CancellationToken token)
    {
        long seconds = NowMs() / 1000;
        CommunityAuthHeaders auth = CommunityAuth.Sign(_identity, address.ServerPublicKey, method, endpoint, body ?? [], seconds);
        var headers = auth.AsHeaders().ToDictionary(h => h.Key, h => h.Value);
        var request = new ServerRequest(method, endpoint, headers, body is null ? null : new ReadOnlyMemory<byte>(body));
        try
        {
            return await _network!.SendToServerAsync(address.Target, request, token).ConfigureAwait(false);
        }
        catch (SessionException e) when (e.Status == SessionStatus.ERemote)
        {
            // Not transient: the outbox completes the post with this error instead of retrying.
            throw Errors.Remote("community.wrong_key", "the community server cannot decrypt our requests: the public_key in its URL is not its key");
        }
    }

    // ------------------------------------------------------------------ polling

    private TimeSpan _communityInterval;
    private readonly ConcurrentDictionary<string, int> _communityFailures = new();

    /// <summary>
    /// One round of community polling: every joined server, in parallel, with one POST /batch
    /// (capabilities, then per room pollInfo and messages/since/{seqno}, then the blinded inbox
    /// since the last id). Fast after activity, backing off to MaxPollInterval when idle, paused
    /// while the app is behind; a Join wakes it at once. One server failing (unreachable, slow,
    /// refusing, answering garbage) never holds back the others' messages; a server that keeps
    /// failing is reported once with an ERROR event.
    /// </summary>
    private async Task<TimeSpan> CommunityStepAsync(CancellationToken token)
    {
        if (AppIsBehind) return _options.MinPollInterval;
        var polls = _store.Communities().GroupBy(c => c.Server)
            .Select(server => PollServerSafelyAsync(server.Select(c => (CommunityAddress.Parse(c.Id), c.Seqno)).ToList(), server.Key, token))
            .ToList();
        var results = await Task.WhenAll(polls).ConfigureAwait(false);
        if (results.Any(r => r.More)) return TimeSpan.Zero;
        int fresh = results.Sum(r => r.Fresh);
        _communityInterval = fresh > 0 || _communityInterval == TimeSpan.Zero ? _options.MinPollInterval : Next(_communityInterval);
        return _communityInterval;
    }

    /// <summary>Polls one server; its failures are classified here so they stay its own.</summary>
    private async Task<(int Fresh, bool More)> PollServerSafelyAsync(List<(CommunityAddress Room, long Seqno)> rooms, string serverKey, CancellationToken token)
    {
        try
        {
            var result = await PollServerAsync(rooms, serverKey, token).ConfigureAwait(false);
            _communityFailures.TryRemove(serverKey, out _);
            return result;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested) { throw; }
        catch (Exception e)
        {
            Failure failure = Failure.Of(e);
            if (failure.Kind is FailureKind.Storage) throw; // the runner reports it and backs off
            int failures = _communityFailures.AddOrUpdate(serverKey, 1, (_, n) => n + 1);
            ClientLog.CommunityPollFailed(_log, failure.Code);
            bool serious = failure.Kind is FailureKind.Remote or FailureKind.Internal;
            if ((serious && failures == 1) || failures == _options.ReportErrorAfter) ReportFailure(CommunityJob, failure);
            return (0, false);
        }
    }

    private async Task<(int Fresh, bool More)> PollServerAsync(List<(CommunityAddress Room, long Seqno)> rooms, string serverKey, CancellationToken token)
    {
        CommunityAddress server = rooms[0].Room;
        long inboxCursor = _store.CommunityInboxCursor(serverKey);
        byte[] batch = JsonArrayBody(w =>
        {
            SubRequest(w, "/capabilities");
            foreach (var (room, seqno) in rooms)
            {
                SubRequest(w, $"/room/{room.Room}/pollInfo/0");
                // A room we never read starts with its recent history, as desktop does; then by seqno.
                SubRequest(w, seqno == 0 ? $"/room/{room.Room}/messages/recent?limit={RecentOnJoin}"
                    : $"/room/{room.Room}/messages/since/{seqno}?t=r&limit={CommunityPageSize}");
            }
            SubRequest(w, inboxCursor == 0 ? $"/inbox?limit={CommunityPageSize}" : $"/inbox/since/{inboxCursor}?limit={CommunityPageSize}");
        });
        ServerResponse response = await SendSignedAsync(server, "POST", "/batch", batch, token).ConfigureAwait(false);
        ThrowUnlessSuccess(response);
        using JsonDocument doc = JsonDocument.Parse(response.Body);
        JsonElement[] parts = [.. doc.RootElement.EnumerateArray()];
        // capabilities, pollInfo + messages per room, inbox: anything else is not our batch's reply.
        if (parts.Length != 2 + 2 * rooms.Count) throw NetworkFailures.BadResponse($"a batch reply of {parts.Length} parts, {2 + 2 * rooms.Count} expected");
        int fresh = 0;
        bool more = false;
        for (int i = 0; i < rooms.Count; i++)
        {
            JsonElement messages = parts[2 + 2 * i];
            if (messages.GetProperty("code").GetInt32() != 200)
            {
                ClientLog.CommunityPollFailed(_log, "room." + messages.GetProperty("code").GetInt32().ToString(CultureInfo.InvariantCulture));
                continue;
            }
            var items = messages.GetProperty("body").EnumerateArray().ToList();
            if (rooms[i].Seqno == 0) items.Reverse(); // recent is newest first
            foreach (JsonElement item in items)
                fresh += RecordSafely(() => RecordPost(rooms[i].Room, item)) ? 1 : 0;
            more |= rooms[i].Seqno != 0 && items.Count >= CommunityPageSize;
        }
        JsonElement inbox = parts[^1];
        if (inbox.GetProperty("code").GetInt32() == 200)
        {
            int count = 0;
            foreach (JsonElement item in inbox.GetProperty("body").EnumerateArray())
            {
                count++;
                fresh += RecordSafely(() => RecordDm(server, serverKey, item)) ? 1 : 0;
            }
            more |= count >= CommunityPageSize;
        }
        return (fresh, more);
    }

    /// <summary>
    /// Records one item a server sent; an item that is garbage (a null, a wrong type, a missing
    /// field) is dropped with a WARN and the rest of the reply still counts. Storage failures and
    /// bugs go up to the job.
    /// </summary>
    private bool RecordSafely(Func<bool> record)
    {
        try { return record(); }
        catch (Exception e)
        {
            Failure failure = Failure.Of(e);
            if (failure.Kind is not (FailureKind.PeerGarbage or FailureKind.Network)) throw;
            EngineLog.DroppedItem(_log, CommunityJob, failure.Code);
            return false;
        }
    }

    /// <summary>
    /// One room item: first sight → MESSAGE (or nothing for a deletion); later changes of a known
    /// post → MESSAGE_EDITED / MESSAGE_DELETED. Our own posts produce no events. Bad signatures are dropped.
    /// </summary>
    private bool RecordPost(CommunityAddress room, JsonElement item)
    {
        string conversation = room.ToString();
        if (!item.TryGetProperty("seqno", out JsonElement seqEl) || !seqEl.TryGetInt64(out long seqno) || !item.TryGetProperty("id", out JsonElement idEl))
            return false;
        string messageId = idEl.GetRawText();
        if (!item.TryGetProperty("session_id", out JsonElement authorEl) || authorEl.ValueKind != JsonValueKind.String)
        {
            // A reaction-only update ({id, seqno, reactions}): nothing to show, but the cursor moves.
            _store.RecordCommunityItem(conversation, null, seqno, null, 0, _ => null);
            return false;
        }
        string author = authorEl.GetString()!;
        double posted = item.TryGetProperty("posted", out JsonElement postedEl) && postedEl.TryGetDouble(out double p) ? p : NowMs() / 1000.0;
        bool deleted = item.TryGetProperty("deleted", out JsonElement d) && d.ValueKind == JsonValueKind.True
            || !item.TryGetProperty("data", out JsonElement dataEl) || dataEl.ValueKind != JsonValueKind.String;
        string seenKey = $"c:{conversation}:{messageId}";
        bool own = author == _identity.Blinded15(room.ServerPublicKey).Id.ToString();

        string? text = null;
        State.Stored.EventDetails? details = null;
        string? contentKey = null;
        long timestampMs = (long)(posted * 1000);
        if (!deleted && !own && item.TryGetProperty("signature", out JsonElement sig) && sig.ValueKind == JsonValueKind.String)
        {
            try
            {
                var content = CommunityMessages.DecodePost(item.GetProperty("data").GetString()!, sig.GetString()!, Crypto.SessionId.Parse(author), posted);
                text = TextContent.TextOf(content);
                (List<State.Stored.AttachmentRef> attachments, _) = Attachments.AttachmentContent.Read(content, roomPost: true);
                if (attachments.Count > 0)
                {
                    text ??= ""; // a post of attachments only is a MESSAGE with empty text
                    details = new State.Stored.EventDetails();
                    details.Attachments.Add(attachments);
                }
                if (content.SigTimestamp != 0)
                {
                    timestampMs = (long)content.SigTimestamp;
                    // SOGS has no idempotency key: one author's signed post at one sent time is one message.
                    contentKey = $"cp:{conversation}:{author}:{timestampMs}";
                }
            }
            catch (SessionException e)
            {
                ClientLog.DroppedMessage(_log, e.Code);
            }
        }

        bool queued = _store.RecordCommunityItem(conversation, null, seqno, seenKey, SeenUntil(NowMs()), isNew =>
        {
            if (own) return null;
            if (deleted)
                return isNew ? null : SessionEvent.Create(EventType.MessageDeleted, timestampMs: NowMs(), conversation: conversation, sender: author, messageId: messageId);
            if (text is null) return null;
            SessionEvent post = SessionEvent.Create(isNew ? EventType.Message : EventType.MessageEdited, timestampMs: timestampMs, conversation: conversation,
                sender: author, messageId: messageId, text: Encoding.UTF8.GetBytes(text));
            return details is null ? post : post with { Details = details };
        }, contentKey);
        // The event reached the queue when its transaction committed (StateStore.EventCommitted).
        return queued;
    }

    /// <summary>One blinded inbox item: a MESSAGE in the DM conversation with the sender's blinded id.</summary>
    private bool RecordDm(CommunityAddress server, string serverKey, JsonElement item)
    {
        long id = item.GetProperty("id").GetInt64();
        string senderText = item.GetProperty("sender").GetString() ?? "";
        SessionEvent? ev = null;
        try
        {
            SessionId sender = Crypto.SessionId.Parse(senderText), recipient = Crypto.SessionId.Parse(item.GetProperty("recipient").GetString() ?? "");
            DecodedInboxMessage decoded = CommunityMessages.DecodeInbox(_identity, server.ServerPublicKey, item.GetProperty("message").GetString()!, sender, recipient);
            string? text = TextContent.TextOf(decoded.Content);
            if (!decoded.Outgoing && text is not null)
            {
                long ts = decoded.Content.SigTimestamp != 0 ? (long)decoded.Content.SigTimestamp : (long)(item.GetProperty("posted_at").GetDouble() * 1000);
                ev = SessionEvent.Create(EventType.Message, timestampMs: ts, conversation: server.WithPeer(sender).ToString(), sender: sender.ToString(),
                    messageId: "dm:" + id.ToString(CultureInfo.InvariantCulture), text: Encoding.UTF8.GetBytes(text));
            }
        }
        catch (SessionException e)
        {
            ClientLog.DroppedMessage(_log, e.Code);
        }
        bool queued = _store.RecordCommunityItem(null, serverKey, id, $"d:{serverKey}:{id}", SeenUntil(NowMs()), isNew => isNew ? ev : null);
        // The event reached the queue when its transaction committed (StateStore.EventCommitted).
        return queued;
    }

    // ------------------------------------------------------------------ JSON helpers

    private static byte[] JsonBody(Action<Utf8JsonWriter> write)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static byte[] JsonArrayBody(Action<Utf8JsonWriter> write)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            write(w);
            w.WriteEndArray();
        }
        return buffer.ToArray();
    }

    private static void SubRequest(Utf8JsonWriter w, string path)
    {
        w.WriteStartObject();
        w.WriteString("method", "GET");
        w.WriteString("path", path);
        w.WriteEndObject();
    }
}
