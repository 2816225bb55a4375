using SessionInterop.Crypto;
using SessionInterop.Protocol.Protos;

namespace SessionInterop.Protocol;

/// <summary>A decrypted, verified 1:1 message.</summary>
/// <param name="Sender">The sender's 05 id, proven by the inner signature.</param>
/// <param name="Content">The parsed Content.</param>
/// <param name="TimestampMs">The Envelope's sent-at time (Unix ms), the message's identity.</param>
/// <param name="SyncTarget">For our own messages sent from another device: the conversation they belong to.</param>
internal sealed record DecodedMessage(SessionId Sender, Content Content, long TimestampMs, SessionId? SyncTarget = null)
{
    /// <summary>What kind of message this is.</summary>
    public MessageKind Kind => ContentKinds.Classify(Content);

    /// <summary>Message-level de-duplication key (§6.5 step 2).</summary>
    public MessageDedupKey DedupKey => new(Sender, TimestampMs);
}

/// <summary>
/// (sender, sent timestamp): official clients drop a visible message when one with the same pair
/// exists. Swarm-level dedup by server hash is separate (Network layer).
/// </summary>
internal readonly record struct MessageDedupKey(SessionId Sender, long SentAtMs);
