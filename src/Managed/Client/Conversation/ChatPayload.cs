using System.Globalization;
using System.Text;

namespace SessionInterop.Client.Conversation;

/// <summary>
/// An outbox row of kind Chat: the stored message for the recipient, its TTL, and the copy for our
/// own swarm (a sync copy, so the account's other devices show it) when it has one. Fixed at send
/// time, so a retry stores exactly the same bytes. Kept as ASCII lines (base64 has no newline).
/// </summary>
internal sealed record ChatPayload(long TtlMs, bool AfterSend, long AfterReadSeconds, string Main, string? Own)
{
    private const string Version = "chat1";

    public byte[] ToBytes() => Encoding.ASCII.GetBytes(string.Join('\n',
        Version, TtlMs.ToString(CultureInfo.InvariantCulture), AfterSend ? "1" : "0",
        AfterReadSeconds.ToString(CultureInfo.InvariantCulture), Main, Own ?? ""));

    public static ChatPayload Parse(byte[] bytes)
    {
        string[] parts = Encoding.ASCII.GetString(bytes).Split('\n');
        if (parts.Length != 6 || parts[0] != Version)
            throw Errors.BadStateData("state.outbox_corrupt", "a queued chat message cannot be read");
        return new ChatPayload(long.Parse(parts[1], CultureInfo.InvariantCulture), parts[2] == "1",
            long.Parse(parts[3], CultureInfo.InvariantCulture), parts[4], parts[5].Length == 0 ? null : parts[5]);
    }
}

/// <summary>An internal outbox row acting on one message of our own swarm (ExpireOwn, DeleteOwn).</summary>
internal sealed record OwnSwarmPayload(string Hash, long ExpiryMs)
{
    public byte[] ToBytes() => Encoding.ASCII.GetBytes($"{Hash}\n{ExpiryMs.ToString(CultureInfo.InvariantCulture)}");

    public static OwnSwarmPayload Parse(byte[] bytes)
    {
        string[] parts = Encoding.ASCII.GetString(bytes).Split('\n');
        if (parts.Length != 2) throw Errors.BadStateData("state.outbox_corrupt", "a queued swarm operation cannot be read");
        return new OwnSwarmPayload(parts[0], long.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
