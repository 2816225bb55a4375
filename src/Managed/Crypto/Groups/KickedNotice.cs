using System.Globalization;
using System.Text;

namespace SessionInterop.Crypto.Groups;

/// <summary>
/// The "you were removed" notice an admin stores in the group's namespace -11 (protocol-groups.md
/// §6.8): for each removed member, its X25519 key ‖ ASCII current generation, multi-encrypted from
/// the group's X25519 key pair with domain "SessionGroupKickedMessage". Removed members can still
/// read -11 (revocation does not apply there) and so learn they are out.
/// </summary>
internal static class KickedNotice
{
    public const string Domain = "SessionGroupKickedMessage";

    public static byte[] Build(Identity group, IReadOnlyList<SessionId> removed, long generation)
    {
        var recipients = new List<byte[]>();
        var messages = new List<byte[]>();
        byte[] gen = Encoding.ASCII.GetBytes(generation.ToString(CultureInfo.InvariantCulture));
        foreach (SessionId id in removed)
        {
            id.Require(SessionIdPrefix.Standard);
            recipients.Add(id.Key.ToArray());
            messages.Add([.. id.Key, .. gen]);
        }
        if (recipients.Count == 0) throw Errors.InvalidArgument("group.no_members", "name at least one removed member");
        return MultiEncrypt.EncryptSimple(messages, recipients, group.X25519SecretKey, group.X25519PublicKey, Domain);
    }

    /// <summary>
    /// True when the notice removes <paramref name="member"/> at generation ≥ <paramref name="currentGeneration"/>
    /// (an older notice may be left over from an earlier removal before a re-invite).
    /// </summary>
    public static bool RemovesMe(ReadOnlySpan<byte> encoded, Identity member, ReadOnlySpan<byte> groupPk, long currentGeneration)
    {
        Span<byte> groupX = stackalloc byte[32];
        if (groupPk.Length != 32 || !Primitives.EdPkToX(groupPk, groupX)) return false;
        byte[]? plain = MultiEncrypt.DecryptSimple(encoded, member.X25519SecretKey, member.X25519PublicKey, groupX, Domain);
        if (plain is null || plain.Length <= 32 || !plain.AsSpan(0, 32).SequenceEqual(member.X25519PublicKey)) return false;
        return long.TryParse(Encoding.ASCII.GetString(plain, 32, plain.Length - 32), NumberStyles.None, CultureInfo.InvariantCulture, out long gen)
            && gen >= currentGeneration;
    }
}
