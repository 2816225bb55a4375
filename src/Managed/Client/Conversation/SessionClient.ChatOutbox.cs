using SessionInterop.Client.Conversation;
using SessionInterop.Network.Client;
using SessionInterop.State;

namespace SessionInterop.Client;

// The outbox's part for issue 14's rows: a chat message and its own-swarm copy, and the internal
// operations on our own swarm (after-read expiry, unsend's delete).
public sealed partial class SessionClient
{
    /// <summary>
    /// Stores a chat row: the message in the recipient's swarm, then its copy in ours. A disappear-after-send message keeps its sent-time deadline: a
    /// retry stores it with what is left of its TTL, and one whose time has run out is never stored.
    /// Returns the recipient-side hash.
    /// </summary>
    private async Task<string> DeliverChatAsync(OutboxEntry entry, CancellationToken token)
    {
        ChatPayload payload = ChatPayload.Parse(entry.Payload);
        long ttl = RemainingTtl(entry, payload);
        // The recipient's message and our own copy go to two swarms, so both stores run at once (each
        // on its own path): the row completes after the slower one, not after the two in turn. A retry
        // stores both again; each swarm keeps one copy (same bytes, same hash).
        Task<StoreResult> main = _network!.StoreAsync(entry.Destination, 0, payload.Main, ttl, token);
        // (Its hash was remembered at send time, RememberOwnCopy.)
        Task ownCopy = payload.Own is { } own ? _network.StoreAsync(SessionId, 0, own, ttl, token) : Task.CompletedTask;
        // When both fail, WhenAll rethrows the first task's failure: the main store's decides retry or refusal.
        await Task.WhenAll(main, ownCopy).ConfigureAwait(false);
        return (await main.ConfigureAwait(false)).Hash ?? "";
    }

    private long RemainingTtl(OutboxEntry entry, ChatPayload payload) =>
        payload.AfterSend ? payload.TtlMs - Math.Max(0, NowMs() - entry.TimestampMs) : payload.TtlMs;

    /// <summary>A disappear-after-send message whose time ran out while it waited: it is never stored late.</summary>
    private bool ExpiredBeforeStored(OutboxEntry entry)
    {
        ChatPayload payload = ChatPayload.Parse(entry.Payload);
        return payload.AfterSend && RemainingTtl(entry, payload) < MinStoreTtlMs;
    }

    /// <summary>The storage server's shortest TTL (10 s).</summary>
    private const long MinStoreTtlMs = 10_000;

    private Task ActOnOwnSwarmAsync(OutboxEntry entry, CancellationToken token)
    {
        OwnSwarmPayload op = OwnSwarmPayload.Parse(entry.Payload);
        return entry.Kind == (int)OutboxKind.ExpireOwn
            ? _network!.ExpireAsync(EdSecretKey(), SessionId, [op.Hash], op.ExpiryMs, token)
            : _network!.DeleteAsync(EdSecretKey(), SessionId, [op.Hash], token);
    }
}
