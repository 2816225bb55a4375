using System.Buffers;
using SessionInterop.Crypto;

namespace SessionInterop.Config;

/// <summary>
/// One version of a config document (protocol-config.md §3): seqno <c>#</c>, data <c>&amp;</c>,
/// recent diffs <c>&lt;</c>, this version's diff <c>=</c>, optional signature <c>~</c>, and any
/// unknown top-level keys (kept on increment, dropped by a merge, as libsession does).
/// A message is either <em>immutable</em> (parsed or merged: its diff is what it says) or
/// <em>mutable</em> (being edited: its diff is computed against the data it started from).
/// Merging several versions replays their diffs in (seqno, hash) order, so every device computes
/// the same result byte for byte.
/// </summary>
internal sealed class ConfigMessage
{
    /// <summary>How many seqnos of diffs a message carries (libsession's lag, the same for all user configs).</summary>
    public const int Lag = 5;
    public const int HashBytes = 32;
    private const int SignatureBytes = 64;

    private static readonly byte[] KSeqno = Bt.K("#"), KData = Bt.K("&"), KLagged = Bt.K("<"), KDiff = Bt.K("="), KSig = Bt.K("~");

    private readonly BtDict? _original;   // non-null: mutable; diff = changes since this
    private readonly BtDict _parsedDiff;  // immutable: the diff it carries
    private byte[]? _hash;                // immutable: hash of the exact bytes (or of its serialization)
    // Immutable and parsed: the exact bytes received. Serialize hands them back, so a member that
    // cannot sign still offers the admin's signed message (not an unsigned re-encoding that would
    // differ from it, merge as a conflicting version of the same seqno and hide later changes).
    private byte[]? _bytes;

    private ConfigMessage(long seqno, BtDict data, BtDict? original, BtDict parsedDiff, SortedDictionary<DiffId, BtDict> lagged, BtDict unknown, byte[]? hash)
    {
        Seqno = seqno;
        Data = data;
        _original = original;
        _parsedDiff = parsedDiff;
        Lagged = lagged;
        Unknown = unknown;
        _hash = hash;
    }

    public long Seqno { get; }

    /// <summary>The application data. Only a mutable message may be changed.</summary>
    public BtDict Data { get; }

    /// <summary>Diffs of recent versions, by (seqno, hash).</summary>
    public SortedDictionary<DiffId, BtDict> Lagged { get; }

    /// <summary>Unknown top-level keys (a newer format's additions), written back unchanged.</summary>
    public BtDict Unknown { get; }

    public bool IsMutable => _original is not null;

    /// <summary>True for the result of merging two or more divergent versions.</summary>
    public bool Merged { get; private init; }

    /// <summary>For a merge whose result is one of its inputs unchanged: that input's index; otherwise -1.</summary>
    public int UnmergedIndex { get; private init; } = -1;

    /// <summary>True when the message was parsed with a verifier and its signature checked out.</summary>
    public bool VerifiedSignature { get; private init; }

    /// <summary>Signs serializations (group configs only; user configs are never signed): 64-byte Ed25519 over the bytes before <c>~</c>.</summary>
    public Func<byte[], byte[]>? Signer { get; set; }

    /// <summary>An empty mutable message (a new config starts at seqno 0).</summary>
    public static ConfigMessage NewMutable(long seqno = 0) =>
        new(seqno, new BtDict(), new BtDict(), new BtDict(), NewLagged(), new BtDict(), null);

    // ------------------------------------------------------------------ diff, hash, serialization

    /// <summary>This version's changes: computed for a mutable message, as parsed otherwise.</summary>
    public BtDict Diff()
    {
        if (_original is null) return _parsedDiff;
        Prune(Data);
        return ComputeDiff(_original, Data);
    }

    /// <summary>BLAKE2b-256 of the exact bytes (received, or produced by <see cref="Serialize"/>).</summary>
    public byte[] Hash()
    {
        if (_hash is not null) return _hash;
        byte[] h = HashOf(Serialize());
        if (_original is null) _hash = h;   // immutable: cannot change any more
        return h;
    }

    public static byte[] HashOf(ReadOnlySpan<byte> bytes)
    {
        var h = new byte[HashBytes];
        Primitives.Blake2b(h, bytes);
        return h;
    }

    /// <summary>The canonical encoding (§3.1): #, &amp;, &lt;, =, unknown keys in their sorted places, then ~ when signing.</summary>
    public byte[] Serialize()
    {
        if (_bytes is not null) return _bytes.ToArray();
        if (_original is not null) Prune(Data);
        var w = new ArrayBufferWriter<byte>(512);
        Bt.WriteByte(w, (byte)'d');
        Bt.WriteString(w, KSeqno);
        Bt.WriteInt(w, Seqno);
        WriteUnknownBelow(w, KData);
        Bt.WriteString(w, KData);
        Bt.Write(w, Data);
        WriteUnknownBelow(w, KLagged);
        Bt.WriteString(w, KLagged);
        Bt.WriteByte(w, (byte)'l');
        foreach (var (id, diff) in Lagged)
        {
            if (id.Seqno <= Seqno - Lag || id.Seqno >= Seqno) continue;
            Bt.WriteByte(w, (byte)'l');
            Bt.WriteInt(w, id.Seqno);
            Bt.WriteString(w, id.Hash);
            Bt.Write(w, diff);
            Bt.WriteByte(w, (byte)'e');
        }
        Bt.WriteByte(w, (byte)'e');
        WriteUnknownBelow(w, KDiff);
        Bt.WriteString(w, KDiff);
        Bt.Write(w, Diff());
        WriteUnknownBelow(w, KSig);
        if (Signer is not null)
        {
            byte[] signature = Signer(w.WrittenSpan.ToArray());
            if (signature.Length != SignatureBytes) throw Errors.Crypto("config.bad_signature", "a config signature must be 64 bytes");
            Bt.WriteString(w, KSig);
            Bt.WriteString(w, signature);
        }
        Bt.WriteByte(w, (byte)'e');
        return w.WrittenSpan.ToArray();
    }

    private void WriteUnknownBelow(ArrayBufferWriter<byte> w, byte[] limit)
    {
        // Unknown keys sit between the known ones; each group is written just before the next known key.
        foreach (var (k, v) in Unknown)
        {
            int c = ByteOrder.Instance.Compare(k, limit);
            if (c >= 0) break;
            if (PreviousKnown(limit) is { } prev && ByteOrder.Instance.Compare(k, prev) <= 0) continue;
            Bt.WriteString(w, k);
            Bt.Write(w, v);
        }
    }

    private static byte[]? PreviousKnown(byte[] limit) =>
        limit[0] switch { (byte)'&' => KSeqno, (byte)'<' => KData, (byte)'=' => KLagged, (byte)'~' => KDiff, _ => null };

    // ------------------------------------------------------------------ new versions

    /// <summary>
    /// The next version (§3.4): same data, diffs of the last <see cref="Lag"/> versions including
    /// this one's, seqno + 1, empty diff. Mutable.
    /// </summary>
    public ConfigMessage Increment()
    {
        byte[] hash = Hash();
        BtDict diff = Diff();
        SortedDictionary<DiffId, BtDict> lagged = NewLagged();
        foreach (var (id, d) in Lagged)
            if (id.Seqno > Seqno - Lag) lagged[id] = d;
        lagged[new DiffId(Seqno, hash)] = diff;
        return new ConfigMessage(Seqno + 1, Data.Copy(), Data.Copy(), new BtDict(), lagged, Unknown.Copy(), null) { Signer = Signer };
    }

    /// <summary>
    /// What libsession's MutableConfigMessage(vector) gives: a merged result becomes editable with
    /// an empty diff; an unmerged one is incremented.
    /// </summary>
    public ConfigMessage ToMutableAfterMerge() =>
        Merged ? new ConfigMessage(Seqno, Data.Copy(), Data.Copy(), new BtDict(), new SortedDictionary<DiffId, BtDict>(Lagged, DiffIdOrder.Instance), Unknown.Copy(), null) { Signer = Signer }
               : Increment();

    /// <summary>
    /// libsession's MutableConfigMessage(ConfigMessage&amp;&amp;, retain_seqno): the same seqno, editable,
    /// and (a quirk of its member initialisation, §3.10) a diff relative to empty data, so the pushed
    /// merge lists every key as added. Reproduced so our merge uploads match libsession's bytes.
    /// </summary>
    public ConfigMessage ToMutableRetainSeqno() =>
        new(Seqno, Data.Copy(), new BtDict(), new BtDict(), new SortedDictionary<DiffId, BtDict>(Lagged, DiffIdOrder.Instance), Unknown.Copy(), null) { Signer = Signer };

    // ------------------------------------------------------------------ parsing

    /// <summary>
    /// Parses one serialized message (§2.3 rules). With a verifier, a valid signature is required.
    /// Throws config.malformed (or config.bad_signature) on anything libsession would refuse.
    /// </summary>
    public static ConfigMessage Parse(ReadOnlySpan<byte> bytes, Func<byte[], byte[], bool>? verifier = null)
    {
        BtDict top = Bt.DecodeDict(bytes);
        using var keys = top.Keys.GetEnumerator();
        if (!keys.MoveNext() || !ByteOrder.Instance.Equals(keys.Current, KSeqno) || top[KSeqno] is not long seqno)
            throw Bt.Bad("the first key must be # with an integer seqno");
        if (top.Get(KData) is not BtDict rawData) throw Bt.Bad("& must be a dictionary");
        BtDict data = ValidateData(rawData);

        var lagged = NewLagged();
        if (top.Get(KLagged) is { } rawLagged)
        {
            if (rawLagged is not BtList rows) throw Bt.Bad("< must be a list");
            DiffId? previous = null;
            foreach (object row in rows)
            {
                if (row is not BtList { Count: 3 } r || r[0] is not long rowSeqno || r[1] is not byte[] { Length: HashBytes } rowHash || r[2] is not BtDict rowDiff)
                    throw Bt.Bad("a lagged diff must be [seqno, 32-byte hash, dict]");
                if (rowSeqno >= seqno) throw Bt.Bad("a lagged diff is not older than its message");
                var id = new DiffId(rowSeqno, rowHash);
                if (previous is { } p && DiffIdOrder.Instance.Compare(p, id) >= 0) throw Bt.Bad("lagged diffs are not in order");
                previous = id;
                ValidateDiff(rowDiff);
                if (rowSeqno > seqno - Lag) lagged[id] = rowDiff;
            }
        }

        BtDict diff = new();
        if (top.Get(KDiff) is { } rawDiff)
        {
            diff = rawDiff as BtDict ?? throw Bt.Bad("= must be a dictionary");
            ValidateDiff(diff);
        }

        bool verified = false;
        if (top.Get(KSig) is { } sig)
        {
            if (sig is not byte[] { Length: SignatureBytes } signature) throw Bt.Bad("~ must be a 64-byte signature");
            if (!ByteOrder.Instance.Equals(top.Keys.Last(), KSig)) throw Bt.Bad("no key may follow ~");
            if (verifier is not null)
            {
                // Signed part: everything before "1:~64:" + signature + the final 'e'.
                byte[] signedPart = bytes[..(bytes.Length - (3 + 3 + SignatureBytes + 1))].ToArray();
                if (!verifier(signedPart, signature)) throw Errors.Crypto("config.bad_signature", "config signature failed verification");
                verified = true;
            }
        }
        else if (verifier is not null)
        {
            throw Errors.Crypto("config.missing_signature", "config signature is missing");
        }

        var unknown = new BtDict();
        foreach (var (k, v) in top)
        {
            if (k.Length == 1 && k[0] is (byte)'#' or (byte)'&' or (byte)'<' or (byte)'=' or (byte)'~') continue;
            if (ByteOrder.Instance.Compare(k, KSig) > 0) throw Bt.Bad("no key may follow ~");
            unknown.Add(k, v);
        }
        return new ConfigMessage(seqno, data, null, diff, lagged, unknown, HashOf(bytes)) { VerifiedSignature = verified, _bytes = bytes.ToArray() };
    }

    /// <summary>Data values: int, string, non-empty dict, non-empty sorted set of scalars (lists become <see cref="ConfigSet"/>).</summary>
    private static BtDict ValidateData(BtDict raw)
    {
        var data = new BtDict();
        foreach (var (k, v) in raw)
        {
            data.Add(k, v switch
            {
                long or byte[] => v,
                BtDict { Count: 0 } => throw Bt.Bad("data contains an unpruned, empty dict"),
                BtDict d => ValidateData(d),
                BtList { Count: 0 } => throw Bt.Bad("data contains an unpruned, empty set"),
                BtList l => ToSet(l),
                _ => throw Bt.Bad("unexpected data value"),
            });
        }
        return data;
    }

    private static ConfigSet ToSet(BtList list)
    {
        var set = new ConfigSet();
        object? previous = null;
        foreach (object item in list)
        {
            if (item is not (long or byte[])) throw Bt.Bad("sets hold only integers and strings");
            if (previous is not null && ScalarOrder.Instance.Compare(previous, item) >= 0) throw Bt.Bad("set elements are not in order");
            previous = item;
            set.Add(item);
        }
        return set;
    }

    private static void ValidateDiff(BtDict diff)
    {
        foreach (object v in diff.Values)
        {
            switch (v)
            {
                case byte[] s when s.Length == 0 || (s.Length == 1 && s[0] == '-'):
                    break;
                case BtDict d:
                    ValidateDiff(d);
                    break;
                case BtList { Count: 2 } l when l[0] is BtList added && l[1] is BtList removed:
                    ToSet(added);
                    ToSet(removed);
                    break;
                default:
                    throw Bt.Bad("invalid diff entry");
            }
        }
    }

    // ------------------------------------------------------------------ merging

    /// <summary>
    /// Loads one or more serialized versions and merges them (§3.6). Unparseable inputs are
    /// reported to <paramref name="onError"/> and skipped; throws only when none parses.
    /// The result is immutable; see <see cref="ToMutableAfterMerge"/> / <see cref="ToMutableRetainSeqno"/>.
    /// </summary>
    public static ConfigMessage Merge(IReadOnlyList<byte[]> serialized, Func<byte[], byte[], bool>? verifier = null, Action<int, Exception>? onError = null)
    {
        var parsed = new List<(int Index, ConfigMessage Message)>();
        for (int i = 0; i < serialized.Count; i++)
        {
            try { parsed.Add((i, Parse(serialized[i], verifier))); }
            catch (SessionException e) { onError?.Invoke(i, e); }
        }
        if (parsed.Count == 0) throw Errors.InvalidArgument("config.none_valid", "no valid config messages given");

        long max = parsed.Max(p => p.Message.Seqno);
        var keep = new List<(int Index, ConfigMessage Message)>();
        for (int a = 0; a < parsed.Count; a++)
        {
            ConfigMessage m = parsed[a].Message;
            var id = new DiffId(m.Seqno, m.Hash());
            bool redundant = m.Seqno + Lag <= max;
            for (int b = 0; b < parsed.Count && !redundant; b++)
            {
                if (b == a) continue;
                ConfigMessage other = parsed[b].Message;
                redundant = other.Lagged.ContainsKey(id) || (b < a && other.Seqno == m.Seqno && other.Hash().AsSpan().SequenceEqual(id.Hash));
            }
            if (!redundant) keep.Add(parsed[a]);
        }
        if (keep.Count == 1)
        {
            ConfigMessage only = keep[0].Message;
            return new ConfigMessage(only.Seqno, only.Data, null, only._parsedDiff, only.Lagged, only.Unknown, only.Hash())
            {
                UnmergedIndex = keep[0].Index,
                VerifiedSignature = only.VerifiedSignature,
                _bytes = only._bytes,
            };
        }

        // Highest (seqno, hash) first: its data is the starting point, and its copy of a shared row wins.
        keep.Sort((x, y) => DiffIdOrder.Instance.Compare(new DiffId(y.Message.Seqno, y.Message.Hash()), new DiffId(x.Message.Seqno, x.Message.Hash())));
        BtDict data = keep[0].Message.Data.Copy();
        var replay = new SortedDictionary<DiffId, (BtDict Source, BtDict Diff)>(DiffIdOrder.Instance);
        foreach (var (_, m) in keep)
        {
            replay.TryAdd(new DiffId(m.Seqno, m.Hash()), (m.Data, m.Diff()));
            foreach (var (id, d) in m.Lagged) replay.TryAdd(id, (m.Data, d));
        }
        var lagged = NewLagged();
        foreach (var (id, (source, diff)) in replay)
        {
            ApplyDiff(data, diff, source);
            lagged[id] = diff;
        }
        Prune(data);
        return new ConfigMessage(max + 1, data, null, new BtDict(), lagged, new BtDict(), null) { Merged = true };
    }

    /// <summary>
    /// Replays one diff (§3.6 step 8): values come from <paramref name="source"/> (the containing
    /// message's final data); a key the source lacks, or holds with another type, is removed.
    /// </summary>
    private static void ApplyDiff(BtDict data, BtDict diff, BtDict source)
    {
        foreach (var (k, d) in diff)
        {
            object? sv = source.Get(k);
            switch (d)
            {
                case byte[] op when sv is long or byte[]:
                    if (op.Length == 1) data.Remove(k);   // "-"
                    else data[k] = sv;                      // "" (scalars are shared, never mutated)
                    break;
                case BtDict sub when sv is BtDict subSource:
                    if (data.Get(k) is not BtDict target) data[k] = target = new BtDict();
                    ApplyDiff(target, sub, subSource);
                    break;
                case BtList change when sv is ConfigSet:
                    if (data.Get(k) is not ConfigSet set) data[k] = set = new ConfigSet();
                    foreach (object x in (BtList)change[0]) set.Add(x);
                    foreach (object x in (BtList)change[1]) set.Remove(x);
                    break;
                default:
                    data.Remove(k);
                    break;
            }
        }
    }

    /// <summary>Removes empty sets and dicts, recursively (they are never encoded).</summary>
    public static void Prune(BtDict data)
    {
        List<byte[]>? empty = null;
        foreach (var (k, v) in data)
        {
            if (v is BtDict d) Prune(d);
            if (v is BtDict { Count: 0 } or ConfigSet { Count: 0 }) (empty ??= []).Add(k);
        }
        if (empty is not null) foreach (byte[] k in empty) data.Remove(k);
    }

    /// <summary>The diff from <paramref name="old"/> to <paramref name="now"/> (§3.2).</summary>
    private static BtDict ComputeDiff(BtDict old, BtDict now)
    {
        var diff = new BtDict();
        foreach (var (k, v) in old)
            if (!now.ContainsKey(k)) diff[k] = Removed(v);
        foreach (var (k, v) in now)
        {
            object? o = old.Get(k);
            switch (v)
            {
                case long or byte[] when o is long or byte[]:
                    if (!Bt.Same(o, v)) diff[k] = Array.Empty<byte>();
                    break;
                case BtDict d when o is BtDict od:
                    BtDict sub = ComputeDiff(od, d);
                    if (sub.Count > 0) diff[k] = sub;
                    break;
                case ConfigSet s when o is ConfigSet os:
                    var added = new BtList(s.Where(x => !os.Contains(x)));
                    var removed = new BtList(os.Where(x => !s.Contains(x)));
                    if (added.Count + removed.Count > 0) diff[k] = new BtList { added, removed };
                    break;
                default:
                    diff[k] = Added(v);   // new key, or its kind changed
                    break;
            }
        }
        return diff;
    }

    private static readonly byte[] s_removed = "-"u8.ToArray();

    private static object Added(object v) => v switch
    {
        BtDict d => Leaves(d, Added),
        ConfigSet s => new BtList { new BtList(s), new BtList() },
        _ => Array.Empty<byte>(),
    };

    private static object Removed(object v) => v switch
    {
        BtDict d => Leaves(d, Removed),
        ConfigSet s => new BtList { new BtList(), new BtList(s) },
        _ => s_removed,
    };

    private static BtDict Leaves(BtDict d, Func<object, object> mark)
    {
        var result = new BtDict();
        foreach (var (k, v) in d) result[k] = mark(v);
        return result;
    }

    private static SortedDictionary<DiffId, BtDict> NewLagged() => new(DiffIdOrder.Instance);
}

/// <summary>Identifies a version: its seqno and the BLAKE2b-256 of its bytes.</summary>
internal readonly record struct DiffId(long Seqno, byte[] Hash);

/// <summary>(seqno, hash) order, hashes compared as unsigned bytes.</summary>
internal sealed class DiffIdOrder : IComparer<DiffId>
{
    public static readonly DiffIdOrder Instance = new();
    public int Compare(DiffId x, DiffId y)
    {
        int c = x.Seqno.CompareTo(y.Seqno);
        return c != 0 ? c : x.Hash.AsSpan().SequenceCompareTo(y.Hash);
    }
}
