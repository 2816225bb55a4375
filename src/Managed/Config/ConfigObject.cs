using System.Text;
using SessionInterop.Crypto;
using SessionInterop.Protocol.Protos;

namespace SessionInterop.Config;

/// <summary>Where a config object stands with the swarm (§3.10; values as libsession's ConfigState).</summary>
internal enum ConfigState
{
    /// <summary>The current version is on the swarm.</summary>
    Clean = 0,
    /// <summary>Changed locally; the next push creates the stored form.</summary>
    Dirty = 1,
    /// <summary>Pushed, waiting for the store to be confirmed.</summary>
    Waiting = 2,
}

/// <summary>What to store: the config's seqno, its stored messages, and swarm hashes now obsolete (delete them).</summary>
internal sealed record ConfigPush(long Seqno, IReadOnlyList<byte[]> Messages, IReadOnlyList<string> Obsolete);

/// <summary>
/// The shared base of the config types (libsession's ConfigBase): the current message, the
/// push → confirm → merge cycle with its state and swarm hashes, partial multipart sets, and the
/// dump that persists all of it. Types read and write their data only through <see cref="Get"/> and
/// <see cref="Set"/>, which touch nothing but the keys they name, so keys written by newer clients
/// survive every round trip. Not thread-safe: the owner serialises access.
/// </summary>
internal abstract class ConfigObject
{
    private const long MultipartWaitMs = 7L * 24 * 3600 * 1000;
    private const long MultipartRememberMs = 14L * 24 * 3600 * 1000;

    private readonly ConfigWire.Keys _keys;
    private readonly HashSet<string> _current = [];
    private readonly HashSet<string> _obsolete = [];
    private readonly SortedDictionary<byte[], PartialSet> _partials = new(ByteOrder.Instance);
    private ConfigMessage _message = EmptyMessage();

    protected ConfigObject(Identity account, byte[]? dump) : this(null, account, dump) { }

    /// <summary>A group config: <paramref name="keys"/> carry the group keys, signer and verifier.</summary>
    protected ConfigObject(ConfigWire.Keys keys, byte[]? dump) : this(keys, null, dump) { }

    private ConfigObject(ConfigWire.Keys? keys, Identity? account, byte[]? dump)
    {
        _keys = keys ?? new ConfigWire.Keys(account, Domain, Kind, Wrap: true);
        _message.Signer = _keys.Signer;
        if (dump is not null) Load(dump);
    }

    /// <summary>A group config held without the group key (a non-admin member): it cannot be changed.</summary>
    public bool ReadOnly => _keys.ReadOnly;

    /// <summary>The swarm namespace (2–5 for user configs).</summary>
    public abstract int Namespace { get; }

    /// <summary>The encryption domain string.</summary>
    public abstract string Domain { get; }

    /// <summary>The SharedConfigMessage kind used by the protobuf wrapping.</summary>
    internal virtual SharedConfigMessage.Types.Kind Kind => default;

    public ConfigState State { get; private set; }
    public long Seqno => _message.Seqno;
    public bool NeedsPush => State != ConfigState.Clean;

    /// <summary>True when something changed since the last <see cref="Dump"/>.</summary>
    public bool NeedsDump { get; private set; }

    /// <summary>Swarm hashes of the current version (their TTL should be kept alive).</summary>
    public IReadOnlyCollection<string> CurrentHashes => _current;

    /// <summary>Hashes to keep alive: the current version's and those of incomplete multipart sets.</summary>
    public IReadOnlyList<string> ActiveHashes() =>
        [.. _current, .. _partials.Values.Where(p => !p.Done).SelectMany(p => p.Parts.Values.Select(x => x.StorageHash))];

    /// <summary>True when obsolete hashes wait to be deleted.</summary>
    public bool HasObsolete => _obsolete.Count > 0;

    /// <summary>The current serialized version (tests, and the plaintext a push encrypts).</summary>
    public byte[] Serialize() => _message.Serialize();

    /// <summary>A new config: the empty version 0, already "on the swarm" (nothing to push until changed).</summary>
    private static ConfigMessage EmptyMessage() => ConfigMessage.Parse("d1:#i0e1:&de1:<le1:=dee"u8);

    // ------------------------------------------------------------------ data access for the types

    /// <summary>The value at a path of keys, or null.</summary>
    protected object? Get(params byte[][] path)
    {
        object? node = _message.Data;
        foreach (byte[] key in path)
        {
            if (node is not BtDict d || !d.TryGetValue(key, out node)) return null;
        }
        return node;
    }

    protected byte[]? GetBytes(params byte[][] path) => Get(path) as byte[];
    protected string? GetString(params byte[][] path) => Get(path) is byte[] b ? Encoding.UTF8.GetString(b) : null;
    protected long GetInt(params byte[][] path) => Get(path) is long n ? n : 0;
    protected BtDict? GetDict(params byte[][] path) => Get(path) as BtDict;

    /// <summary>
    /// Sets (or with null, erases) the value at a path, creating dicts on the way. A no-op when
    /// nothing changes (so an unchanged setter never costs a seqno); otherwise the object turns
    /// Dirty, which starts a new version once per push cycle (§3.4).
    /// </summary>
    protected void Set(object? value, params byte[][] path)
    {
        object? current = Get(path);
        if (value is null ? current is null : Bt.Same(current, value)) return;
        if (ReadOnly) throw Errors.WrongState("group.not_admin", "only an admin can change the group's configs");
        MarkDirty();
        BtDict d = _message.Data;
        for (int i = 0; i < path.Length - 1; i++)
        {
            if (d.Get(path[i]) is not BtDict next)
            {
                if (value is null) return;
                d[path[i]] = next = new BtDict();
            }
            d = next;
        }
        if (value is null)
        {
            d.Remove(path[^1]);
            ConfigMessage.Prune(_message.Data);
        }
        else d[path[^1]] = value;
    }

    protected void SetString(string? value, params byte[][] path) =>
        Set(string.IsNullOrEmpty(value) ? null : Encoding.UTF8.GetBytes(value), path);

    /// <summary>Flag: 1 when true, absent when false.</summary>
    protected void SetFlag(bool value, params byte[][] path) => Set(value ? 1L : null, path);

    /// <summary>Nonzero int: absent when 0.</summary>
    protected void SetNonZero(long value, params byte[][] path) => Set(value != 0 ? value : null, path);

    /// <summary>Positive int: absent when ≤ 0.</summary>
    protected void SetPositive(long value, params byte[][] path) => Set(value > 0 ? value : null, path);

    private void MarkDirty()
    {
        if (State != ConfigState.Dirty)
        {
            _message = _message.Increment();
            SetState(ConfigState.Dirty);
        }
        NeedsDump = true;
    }

    private void SetState(ConfigState state)
    {
        // Leaving Clean: the stored version is superseded; delete it after the next push.
        if (state != ConfigState.Clean && State == ConfigState.Clean)
        {
            _obsolete.UnionWith(_current);
            _current.Clear();
        }
        State = state;
        NeedsDump = true;
    }

    /// <summary>
    /// Every entry that can change independently, keyed by its conversation id ("" for the
    /// config as a whole), with bytes that change when it does: comparing two snapshots tells
    /// which contacts, rooms or conversations another device changed.
    /// </summary>
    public abstract IEnumerable<(string Conversation, byte[] Fingerprint)> Entries();

    /// <summary>Entries of the dict at <paramref name="top"/> whose keys are 33-byte ids with the given prefix.</summary>
    protected IEnumerable<(string, byte[])> IdEntries(byte[] top, byte prefix)
    {
        if (GetDict(top) is not { } all) yield break;
        foreach (var (k, v) in all)
            if (k.Length == 33 && k[0] == prefix) yield return (Convert.ToHexStringLower(k), Bt.Encode(v));
    }

    /// <summary>Called before serializing for a push (ConvoInfoVolatile prunes stale entries here).</summary>
    protected virtual void BeforePush(long nowMs) { }

    // ------------------------------------------------------------------ push, confirm, merge

    /// <summary>
    /// The stored form of the current version and the hashes to delete (§3.10). Dirty → Waiting.
    /// The obsolete list is handed over once: the caller deletes those hashes after storing.
    /// </summary>
    public ConfigPush Push(long nowMs)
    {
        BeforePush(nowMs);
        IReadOnlyList<byte[]> messages = ConfigWire.Encode(_message.Serialize(), _message.Seqno, _keys);
        if (State == ConfigState.Dirty) SetState(ConfigState.Waiting);
        var obsolete = _obsolete.ToList();
        if (obsolete.Count > 0) NeedsDump = true;
        _obsolete.Clear();
        return new ConfigPush(_message.Seqno, messages, obsolete);
    }

    /// <summary>The store of <paramref name="seqno"/> succeeded with these hashes: Waiting → Clean (ignored after a newer edit).</summary>
    public void ConfirmPushed(long seqno, IEnumerable<string> hashes)
    {
        if (State != ConfigState.Waiting || seqno != _message.Seqno) return;
        State = ConfigState.Clean;
        _current.Clear();
        _current.UnionWith(hashes);
        _obsolete.ExceptWith(_current);
        NeedsDump = true;
    }

    /// <summary>Gives back obsolete hashes whose delete did not happen (the push failed).</summary>
    public void RestoreObsolete(IEnumerable<string> hashes)
    {
        _obsolete.UnionWith(hashes.Where(h => !_current.Contains(h)));
        NeedsDump = true;
    }

    /// <summary>
    /// Merges retrieved messages (§3.10): undecryptable or unparseable ones are skipped (and left
    /// on the swarm: a newer client may read them); returns the hashes that were accepted.
    /// </summary>
    public IReadOnlySet<string> Merge(IEnumerable<(string Hash, byte[] Data)> messages, long nowMs)
    {
        var inputs = new List<byte[]>();
        var inputHashes = new List<HashSet<string>>();
        bool ownIncluded = _message.Seqno != 0 || State == ConfigState.Dirty;
        if (ownIncluded)
        {
            inputs.Add(_message.Serialize());
            inputHashes.Add([.. _current]);
        }
        var accepted = new HashSet<string>();
        ExpirePartials(nowMs);
        foreach (var (hash, data) in messages)
        {
            switch (ConfigWire.Open(data, _keys))
            {
                case byte[] plain:
                    if (!SignatureValid(plain)) break;
                    inputs.Add(plain);
                    inputHashes.Add([hash]);
                    break;
                case ConfigWire.Part part:
                    accepted.Add(hash);
                    if (AddPart(part, hash, nowMs) is { } whole && SignatureValid(whole.Plain))
                    {
                        inputs.Add(whole.Plain);
                        inputHashes.Add(whole.Hashes);
                    }
                    break;
            }
        }
        int firstIncoming = ownIncluded ? 1 : 0;
        if (inputs.Count == firstIncoming) return accepted;

        var bad = new HashSet<int>();
        ConfigMessage result;
        try { result = ConfigMessage.Merge(inputs, null, (i, _) => bad.Add(i)); }
        catch (SessionException) { return accepted; }
        for (int i = firstIncoming; i < inputs.Count; i++)
            if (!bad.Contains(i)) accepted.UnionWith(inputHashes[i]);

        int winner = result.UnmergedIndex;
        for (int i = 0; i < inputs.Count; i++)
            if (i != winner && !bad.Contains(i)) _obsolete.UnionWith(inputHashes[i]);

        if (result.Merged)
        {
            _message = State == ConfigState.Dirty ? result.ToMutableAfterMerge() : result.ToMutableRetainSeqno();
            _message.Signer = _keys.Signer;
            _current.Clear();
            State = ConfigState.Dirty;
        }
        else if (!(ownIncluded && winner == 0))
        {
            _message = result;
            _message.Signer = _keys.Signer;
            State = ConfigState.Clean;
            _current.Clear();
            _current.UnionWith(inputHashes[winner]);
        }
        _obsolete.ExceptWith(_current);
        NeedsDump = true;
        return accepted;
    }

    /// <summary>Group configs must carry a valid group-key signature (§4.3); user configs are unsigned.</summary>
    private bool SignatureValid(byte[] plain)
    {
        if (_keys.Verifier is null) return true;
        try
        {
            ConfigMessage.Parse(plain, _keys.Verifier);
            return true;
        }
        catch (SessionException) { return false; }
    }

    // ------------------------------------------------------------------ multipart sets

    private sealed class PartialSet
    {
        public int Count;
        public long ExpiresMs;
        public bool Done;
        public SortedDictionary<int, (string StorageHash, byte[] Data)> Parts = [];
    }

    private (byte[] Plain, HashSet<string> Hashes)? AddPart(ConfigWire.Part part, string storageHash, long nowMs)
    {
        if (!_partials.TryGetValue(part.FinalHash, out PartialSet? set))
            _partials[part.FinalHash] = set = new PartialSet { Count = part.Count };
        if (set.Done || set.Count != part.Count) return null;   // re-delivery of a finished set, or inconsistent
        set.Parts.TryAdd(part.Index, (storageHash, part.Data));
        set.ExpiresMs = nowMs + MultipartWaitMs;
        NeedsDump = true;
        if (set.Parts.Count < set.Count) return null;
        byte[]? plain = ConfigWire.Join(part.FinalHash, set.Parts.Values.Select(p => p.Data).ToList());
        HashSet<string> hashes = [.. set.Parts.Values.Select(p => p.StorageHash)];
        set.Done = true;
        set.Parts.Clear();
        set.ExpiresMs = nowMs + MultipartRememberMs;
        return plain is null ? null : (plain, hashes);
    }

    private void ExpirePartials(long nowMs)
    {
        foreach (byte[] key in _partials.Where(p => p.Value.ExpiresMs < nowMs).Select(p => p.Key).ToList())
        {
            _partials.Remove(key);
            NeedsDump = true;
        }
    }

    // ------------------------------------------------------------------ dumps

    /// <summary>
    /// The persisted state, in libsession's dump layout (§5): ! state, $ message, ( current hashes,
    /// ) obsolete hashes, * partial multipart sets, + type-specific extra data.
    /// </summary>
    public byte[] Dump()
    {
        var dump = new BtDict
        {
            [Bt.K("!")] = (long)State,
            [Bt.K("$")] = _message.Serialize(),
            [Bt.K("(")] = new BtList(_current.Order(StringComparer.Ordinal).Select(h => (object)Encoding.UTF8.GetBytes(h))),
            [Bt.K(")")] = new BtList(_obsolete.Order(StringComparer.Ordinal).Select(h => (object)Encoding.UTF8.GetBytes(h))),
            [Bt.K("+")] = new BtDict(),
        };
        var partials = new BtDict();
        {
            foreach (var (hash, set) in _partials)
            {
                var entry = new BtDict
                {
                    [Bt.K("#")] = set.Done ? 0L : set.Count,
                    [Bt.K("T")] = set.ExpiresMs,
                    [Bt.K("p")] = new BtList(set.Parts.Select(p => (object)new BtDict
                    {
                        [Bt.K("#")] = (long)p.Key,
                        [Bt.K("M")] = Encoding.UTF8.GetBytes(p.Value.StorageHash),
                        [Bt.K("d")] = p.Value.Data,
                    })),
                };
                partials[hash] = entry;
            }
            dump[Bt.K("*")] = partials;
        }
        NeedsDump = false;
        return Bt.Encode(dump);
    }

    private void Load(byte[] dump)
    {
        BtDict d = Bt.DecodeDict(dump);
        if (d.Get("!") is not long state || state is < 0 or > 2 || d.Get("$") is not byte[] serialized)
            throw Errors.BadStateData("config.bad_dump", "the stored config is not a config dump");
        // A Dirty dump is reloaded as a new version (one more seqno), as libsession does.
        ConfigMessage message = ConfigMessage.Parse(serialized);
        _message = state == (long)ConfigState.Dirty ? message.Increment() : message;
        _message.Signer = _keys.Signer;
        State = (ConfigState)state;
        switch (d.Get("("))
        {
            case byte[] { Length: > 0 } one: _current.Add(Encoding.UTF8.GetString(one)); break;   // older single-hash form
            case BtList list: foreach (byte[] h in list.OfType<byte[]>()) _current.Add(Encoding.UTF8.GetString(h)); break;
        }
        if (d.Get(")") is BtList old)
            foreach (byte[] h in old.OfType<byte[]>()) _obsolete.Add(Encoding.UTF8.GetString(h));
        if (d.Get("*") is BtDict partials)
        {
            foreach (var (hash, value) in partials)
            {
                if (value is not BtDict e || e.Get("#") is not long count || e.Get("T") is not long expires) continue;
                var set = new PartialSet { Count = (int)count, Done = count == 0, ExpiresMs = expires };
                if (e.Get("p") is BtList parts)
                    foreach (BtDict p in parts.OfType<BtDict>())
                        if (p.Get("#") is long i && p.Get("M") is byte[] m && p.Get("d") is byte[] data)
                            set.Parts[(int)i] = (Encoding.UTF8.GetString(m), data);
                _partials[hash] = set;
            }
        }
        NeedsDump = false;
    }
}
