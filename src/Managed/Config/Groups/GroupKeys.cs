using System.Buffers;
using System.Globalization;
using System.Text;
using SessionInterop.Crypto;
using SessionInterop.Crypto.Groups;
using SessionInterop.Protocol;

namespace SessionInterop.Config.Groups;

/// <summary>One group encryption key: its generation, the 32 key bytes, and the storage timestamp it arrived with.</summary>
internal sealed record GroupKey(long Generation, byte[] Key, long TimestampMs);

/// <summary>
/// The group keys config (namespace 12, protocol-groups.md §3): admins produce key messages (a new
/// generation's key encrypted for the admins and for every member, padded with junk entries to a
/// multiple of 75, signed by the group key) and supplements (older keys for new members); everyone
/// loads them back and keeps the known keys by generation. Not a ConfigBase: no merge, no outer
/// encryption. Not thread-safe: the owner serialises access.
/// </summary>
internal sealed class GroupKeys
{
    public const int MessageKeyMultiple = 75;
    public static readonly long KeyExpiryMs = 60L * 24 * 3600 * 1000;
    private const int EntryBytes = 48;   // 32-byte key + 16-byte tag
    private const int SignatureTail = 3 + 3 + 64 + 1;   // "1:~" "64:" sig "e"

    private static ReadOnlySpan<byte> SeedLabel => "SessionGroupKeySeed"u8;
    private static ReadOnlySpan<byte> AdminLabel => "SessionGroupKeyAdminKey"u8;
    private static ReadOnlySpan<byte> GenLabel => "SessionGroupKeyGen"u8;
    private static ReadOnlySpan<byte> JunkLabel => "SessionGroupJunkMembers"u8;
    private const string MemberDomain = "SessionGroupKeyMemberKey";

    private readonly byte[] _groupPk;
    private readonly byte[] _groupXPk = new byte[32];
    private readonly Identity _user;
    private readonly List<GroupKey> _keys = [];   // sorted by (generation, timestamp, key)
    private readonly SortedDictionary<long, SortedSet<string>> _active = [];
    private GroupKey? _pending;
    private byte[]? _pendingMessage;

    /// <param name="groupPk">The group's Ed25519 key (the 03 id without its prefix).</param>
    /// <param name="admin">The group key pair when the user is an admin, else null.</param>
    /// <param name="user">The user's own account (a member finds its copy of the key with it).</param>
    /// <param name="dump">A previous <see cref="Dump"/>, or null.</param>
    public GroupKeys(ReadOnlySpan<byte> groupPk, Identity? admin, Identity user, byte[]? dump = null)
    {
        if (groupPk.Length != 32 || !Primitives.EdPkToX(groupPk, _groupXPk))
            throw Errors.InvalidArgument("group.bad_id", "the group key is not a valid Ed25519 key");
        _groupPk = groupPk.ToArray();
        _user = user;
        if (admin is not null) LoadAdminKey(admin);
        if (dump is not null) LoadDump(dump);
    }

    /// <summary>The group key pair (admins only).</summary>
    public Identity? Admin { get; private set; }
    public bool IsAdmin => Admin is not null;

    /// <summary>Promotion: the seed arrived; it must belong to this group.</summary>
    public void LoadAdminKey(Identity admin)
    {
        if (!admin.Ed25519PublicKey.SequenceEqual(_groupPk))
            throw Errors.InvalidArgument("group.wrong_admin_key", "the admin key does not belong to this group");
        Admin = admin;
    }

    /// <summary>Keys to decrypt with: the pending key first, then the known keys newest first.</summary>
    public IReadOnlyList<byte[]> Keys()
    {
        var list = new List<byte[]>(_keys.Count + 1);
        if (_pending is not null) list.Add(_pending.Key);
        for (int i = _keys.Count - 1; i >= 0; i--) list.Add(_keys[i].Key);
        return list;
    }

    public IReadOnlyList<GroupKey> KnownKeys => _keys;

    /// <summary>The key to encrypt with (pending, else newest); null before any key is known.</summary>
    public byte[]? EncryptionKey => _pending?.Key ?? (_keys.Count > 0 ? _keys[^1].Key : null);

    /// <summary>Generation of the newest confirmed key (0 before any).</summary>
    public long CurrentGeneration => _keys.Count > 0 ? _keys[^1].Generation : 0;

    /// <summary>The key message produced by the last rekey, until it is loaded back from the swarm.</summary>
    public byte[]? PendingMessage => _pendingMessage;

    /// <summary>Admin and the two newest keys share a generation (two admins rekeyed at once): rekey again.</summary>
    public bool NeedsRekey => IsAdmin && _keys.Count >= 2 && _keys[^1].Generation == _keys[^2].Generation;

    /// <summary>Hashes of the key messages of kept generations (their swarm expiry should be extended).</summary>
    public IReadOnlyList<string> ActiveHashes => _active.Values.SelectMany(h => h).ToList();

    // ------------------------------------------------------------------ admin: key messages

    private byte[] Label(ReadOnlySpan<byte> label)
    {
        var output = new byte[32];
        Primitives.Blake2b(output, Admin!.Seed, label);
        return output;
    }

    /// <summary>
    /// A new full key message (§3.2) for every listed member (the whole Members config, in its
    /// order: ascending Session ID). It becomes the pending message and key until loaded back.
    /// </summary>
    public byte[] Rekey(IReadOnlyList<SessionId> members)
    {
        Identity admin = Admin ?? throw Errors.WrongState("group.not_admin", "only an admin can rekey the group");
        long gen = _keys.Count == 0 ? 0 : _keys[^1].Generation + 1;
        byte[] h2 = Label(SeedLabel), adminKey = Label(AdminLabel);
        var h1 = new byte[56];
        var keyInput = new ArrayBufferWriter<byte>();
        foreach (SessionId m in members) keyInput.Write(Encoding.ASCII.GetBytes(m.ToString()));
        keyInput.Write(Encoding.ASCII.GetBytes(gen.ToString(CultureInfo.InvariantCulture)));
        keyInput.Write(h2);
        Primitives.Blake2b(h1, keyInput.WrittenSpan, GenLabel);
        keyInput.Clear();   // zeroes the copy of H2
        byte[] groupKey = h1[..32], nonce = h1[32..56];

        var encryptedForAdmins = new byte[EntryBytes];
        Primitives.AeadEncrypt(groupKey, nonce, adminKey, encryptedForAdmins);
        var memberKeys = members.Where(m => m.Prefix == SessionIdPrefix.Standard).Select(m => m.Key.ToArray()).ToList();
        List<byte[]> entries = MultiEncrypt.Encrypt([groupKey], memberKeys, nonce, admin.X25519SecretKey, _groupXPk, MemberDomain);
        int junk = entries.Count % MessageKeyMultiple == 0 ? 0 : MessageKeyMultiple - entries.Count % MessageKeyMultiple;
        if (junk > 0)
        {
            var junkSeed = new byte[32];
            Primitives.Blake2b(junkSeed, JunkLabel, h1, admin.Ed25519SecretKey);
            var stream = new byte[EntryBytes * junk];
            Primitives.DeterministicBytes(stream, junkSeed);
            Interop.LibSodium.Zero(junkSeed);
            for (int i = 0; i < junk; i++) entries.Add(stream[(i * EntryBytes)..((i + 1) * EntryBytes)]);
        }

        var w = new ArrayBufferWriter<byte>(200 + entries.Count * 51);
        Bt.WriteByte(w, (byte)'d');
        Bt.WriteString(w, "#"u8); Bt.WriteString(w, nonce);
        Bt.WriteString(w, "G"u8); Bt.WriteInt(w, gen);
        Bt.WriteString(w, "K"u8); Bt.WriteString(w, encryptedForAdmins);
        Bt.WriteString(w, "k"u8); Bt.WriteByte(w, (byte)'l');
        foreach (byte[] e in entries) Bt.WriteString(w, e);
        Bt.WriteByte(w, (byte)'e');
        byte[] message = AppendSignature(w);
        Interop.LibSodium.Zero(adminKey);
        Interop.LibSodium.Zero(h2);
        Interop.LibSodium.Zero(h1);

        _pending = new GroupKey(gen, groupKey, 0);
        _pendingMessage = message;
        return message;
    }

    /// <summary>
    /// A supplemental key message (§3.3): every known key, for the listed (new) members in the
    /// given order, so they can read the history.
    /// </summary>
    public byte[] Supplement(IReadOnlyList<SessionId> targets)
    {
        Identity admin = Admin ?? throw Errors.WrongState("group.not_admin", "only an admin can share keys");
        if (_keys.Count == 0) throw Errors.WrongState("group.no_keys", "there are no keys to share yet");
        var list = new BtList(_keys.Select(k => (object)new BtDict
        {
            [Bt.K("g")] = k.Generation,
            [Bt.K("k")] = k.Key,
            [Bt.K("t")] = k.TimestampMs,
        }));
        byte[] plain = Bt.Encode(list);
        byte[] h2 = Label(SeedLabel);
        var nonceInput = new ArrayBufferWriter<byte>();
        foreach (SessionId m in targets) nonceInput.Write(Encoding.ASCII.GetBytes(m.ToString()));
        nonceInput.Write(plain);
        nonceInput.Write(h2);
        var nonce = new byte[Primitives.AeadNonceBytes];
        Primitives.Blake2b(nonce, nonceInput.WrittenSpan, GenLabel);
        nonceInput.Clear();   // zeroes the copies of the keys and H2
        Interop.LibSodium.Zero(h2);
        var keys = targets.Where(m => m.Prefix == SessionIdPrefix.Standard).Select(m => m.Key.ToArray()).ToList();
        List<byte[]> entries = MultiEncrypt.Encrypt([plain], keys, nonce, admin.X25519SecretKey, _groupXPk, MemberDomain);
        Interop.LibSodium.Zero(plain);
        if (entries.Count == 0) throw Errors.InvalidArgument("group.no_recipients", "no valid member to share keys with");

        var w = new ArrayBufferWriter<byte>(200 + entries.Sum(e => e.Length + 6));
        Bt.WriteByte(w, (byte)'d');
        Bt.WriteString(w, "#"u8); Bt.WriteString(w, nonce);
        Bt.WriteString(w, "+"u8); Bt.WriteByte(w, (byte)'l');
        foreach (byte[] e in entries) Bt.WriteString(w, e);
        Bt.WriteByte(w, (byte)'e');
        Bt.WriteString(w, "G"u8); Bt.WriteInt(w, _keys[^1].Generation);
        return AppendSignature(w);
    }

    /// <summary>Signs everything written so far (the dict without its closing 'e') and closes it with ~.</summary>
    private byte[] AppendSignature(ArrayBufferWriter<byte> w)
    {
        var sig = new byte[64];
        Primitives.Sign(Admin!.Ed25519SecretKey, w.WrittenSpan, sig);
        Bt.WriteString(w, "~"u8);
        Bt.WriteString(w, sig);
        Bt.WriteByte(w, (byte)'e');
        return w.WrittenSpan.ToArray();
    }

    // ------------------------------------------------------------------ everyone: loading

    /// <summary>
    /// Loads a key message retrieved from namespace 12 (§3.4). True when it gave us a key; false
    /// when it is valid but holds nothing for us; throws group.bad_keys when it is invalid.
    /// </summary>
    public bool Load(string hash, ReadOnlySpan<byte> data, long storedAtMs)
    {
        BtDict d;
        try { d = Bt.DecodeDict(data); }
        catch (SessionException) { throw Bad("the key message is not a dictionary"); }
        if (d.Count == 0 || !ByteOrder.Instance.Equals(d.Keys.Last(), Bt.K("~"))
            || d.Get("~") is not byte[] { Length: 64 } sig || data.Length < SignatureTail
            || !data[^SignatureTail..^65].SequenceEqual("1:~64:"u8))
            throw Bad("the key message is not signed");
        if (!Primitives.Verify(sig, data[..^SignatureTail], _groupPk)) throw Bad("the key message signature is invalid");
        if (d.Get("#") is not byte[] { Length: Primitives.AeadNonceBytes } nonce) throw Bad("the key message nonce is missing");
        if (d.Get("G") is not long gen || gen < 0) throw Bad("the key message generation is missing");

        var found = new List<GroupKey>();
        if (d.Get("+") is { } supplement)
        {
            if (supplement is not BtList entries) throw Bad("+ must be a list");
            byte[]? plain = OpenForMe(entries, nonce, minLength: 52 + 16);
            if (plain is not null)
            {
                if (Bt.Decode(plain) is not BtList keys) throw Bad("the supplement is not a list");
                foreach (object o in keys)
                {
                    if (o is not BtDict k || k.Get("g") is not long g || k.Get("k") is not byte[] { Length: 32 } key || k.Get("t") is not long t)
                        throw Bad("a supplement key is malformed");
                    found.Add(new GroupKey(g, key, t));
                }
                Interop.LibSodium.Zero(plain);
            }
        }
        else
        {
            if (d.Get("K") is not byte[] { Length: EntryBytes } forAdmins) throw Bad("K must be 48 bytes");
            if (d.Get("k") is not BtList entries || entries.Count % MessageKeyMultiple != 0 && entries.Count != 0
                || entries.Any(e => e is not byte[] { Length: EntryBytes }))
                throw Bad("k must be a list of 48-byte entries, a multiple of 75");
            byte[]? key = null;
            if (Admin is not null)
            {
                byte[] adminKey = Label(AdminLabel);
                key = new byte[32];
                bool ok = Primitives.AeadDecrypt(forAdmins, nonce, adminKey, key);
                Interop.LibSodium.Zero(adminKey);
                if (!ok) throw Bad("the admin copy of the key does not open");
            }
            else key = OpenForMe(entries, nonce, minLength: EntryBytes);
            if (key is not null) found.Add(new GroupKey(gen, key, storedAtMs));
        }

        if (!_active.TryGetValue(gen, out var hashes)) _active[gen] = hashes = new SortedSet<string>(StringComparer.Ordinal);
        hashes.Add(hash);
        foreach (GroupKey k in found) Insert(k);
        if (_pending is not null && found.Any(k => k.Generation > _pending.Generation || k.Key.AsSpan().SequenceEqual(_pending.Key)))
        {
            _pending = null;
            _pendingMessage = null;
        }
        ExpireOld();
        return found.Count > 0;
    }

    private byte[]? OpenForMe(BtList entries, byte[] nonce, int minLength) =>
        MultiEncrypt.Decrypt(entries.OfType<byte[]>().Where(e => e.Length >= minLength), nonce,
            _user.X25519SecretKey, _user.X25519PublicKey, _groupXPk, MemberDomain);

    private void Insert(GroupKey key)
    {
        int same = _keys.FindIndex(k => k.Generation == key.Generation && k.Key.AsSpan().SequenceEqual(key.Key));
        if (same >= 0) return;
        // Older than everything while the oldest key already lapsed: ignore it.
        if (_keys.Count > 0 && Compare(key, _keys[0]) < 0 && _keys[0].TimestampMs + KeyExpiryMs < _keys[^1].TimestampMs) return;
        int at = _keys.FindIndex(k => Compare(key, k) < 0);
        _keys.Insert(at < 0 ? _keys.Count : at, key);
    }

    private static int Compare(GroupKey a, GroupKey b)
    {
        int c = a.Generation.CompareTo(b.Generation);
        if (c != 0) return c;
        c = a.TimestampMs.CompareTo(b.TimestampMs);
        return c != 0 ? c : a.Key.AsSpan().SequenceCompareTo(b.Key);
    }

    /// <summary>Drops generations whose successor arrived more than 60 days before the newest key (storage timestamps only).</summary>
    private void ExpireOld()
    {
        if (_keys.Count == 0) return;
        long newest = _keys[^1].TimestampMs;
        while (_keys.Count > 1)
        {
            long gen = _keys[0].Generation;
            GroupKey? next = _keys.FirstOrDefault(k => k.Generation > gen);
            if (next is null || next.TimestampMs + KeyExpiryMs >= newest) break;
            _keys.RemoveAll(k => k.Generation == gen);
            _active.Remove(gen);
        }
    }

    private static SessionException Bad(string why) => ProtocolErrors.Malformed(why);

    // ------------------------------------------------------------------ dump

    /// <summary>Local state (libsession's layout): L known keys, A active hashes per generation, P the pending key.</summary>
    public byte[] Dump()
    {
        var d = new BtDict
        {
            [Bt.K("L")] = new BtList(_keys.Select(k => (object)new BtDict { [Bt.K("g")] = k.Generation, [Bt.K("k")] = k.Key, [Bt.K("t")] = k.TimestampMs })),
            [Bt.K("A")] = new BtList(_active.Select(a => (object)new BtList([a.Key, .. a.Value.Select(h => (object)Encoding.UTF8.GetBytes(h))]))),
        };
        if (_pending is not null && _pendingMessage is not null)
            d[Bt.K("P")] = new BtDict { [Bt.K("c")] = _pendingMessage, [Bt.K("g")] = _pending.Generation, [Bt.K("k")] = _pending.Key };
        return Bt.Encode(d);
    }

    private void LoadDump(byte[] dump)
    {
        BtDict d = Bt.DecodeDict(dump);
        if (d.Get("L") is BtList keys)
            foreach (BtDict k in keys.OfType<BtDict>())
                if (k.Get("g") is long g && k.Get("k") is byte[] { Length: 32 } key && k.Get("t") is long t) Insert(new GroupKey(g, key, t));
        if (d.Get("A") is BtList active)
            foreach (BtList a in active.OfType<BtList>())
                if (a.Count > 0 && a[0] is long g)
                    _active[g] = new SortedSet<string>(a.Skip(1).OfType<byte[]>().Select(Encoding.UTF8.GetString), StringComparer.Ordinal);
        if (d.Get("P") is BtDict p && p.Get("c") is byte[] c && p.Get("g") is long pg && p.Get("k") is byte[] { Length: 32 } pk)
        {
            _pending = new GroupKey(pg, pk, 0);
            _pendingMessage = c;
        }
    }
}
