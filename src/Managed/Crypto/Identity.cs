using System.Collections.Concurrent;

namespace SessionInterop.Crypto;

/// <summary>
/// An account's keys (§1): the 32-byte Ed25519 seed, the Ed25519 pair and the X25519 pair derived
/// from it once at construction (re-deriving costs ~45 µs per decrypt), plus blinded key pairs
/// cached per community server. Secret bytes live in one pinned buffer zeroed on Dispose.
/// </summary>
internal sealed class Identity : IDisposable
{
    private const int SeedOffset = 0, EdSkOffset = 32, XSkOffset = 96, SecretBytes = 128;

    // [0..32) seed32, [32..96) Ed25519 secret key (seed32 ‖ edPk), [96..128) X25519 secret = scalar a.
    private readonly byte[] _secret = GC.AllocateArray<byte>(SecretBytes, pinned: true);
    private readonly byte[] _xPk = new byte[32];
    private readonly ConcurrentDictionary<BlindingCacheKey, BlindedKeyPair> _blinded = new();
    private KnownSender? _lastSender;   // replaced whole, so readers on any thread see a consistent pair
    private bool _disposed;

    private sealed record KnownSender(byte[] Ed25519, SessionId Id);

    private Identity(ReadOnlySpan<byte> seed32)
    {
        seed32.CopyTo(_secret.AsSpan(SeedOffset, 32));
        Span<byte> edPk = stackalloc byte[32];
        Primitives.SeedKeypair(seed32, edPk, _secret.AsSpan(EdSkOffset, 64));
        Primitives.EdSkToX(_secret.AsSpan(EdSkOffset, 64), _secret.AsSpan(XSkOffset, 32));
        if (!Primitives.EdPkToX(edPk, _xPk))
            throw Errors.Crypto("key.invalid", "the seed produced an unusable public key");
        SessionId = SessionId.FromKey(SessionIdPrefix.Standard, _xPk);
    }

    /// <summary>A new account from 16 random bytes, as the official apps create them.</summary>
    public static Identity Generate()
    {
        Span<byte> seed16 = stackalloc byte[16];
        Primitives.RandomBytes(seed16);
        try { return FromSeed(seed16); }
        finally { Interop.LibSodium.Zero(seed16); }
    }

    /// <summary>
    /// From a 16-byte account seed (padded with 16 zero bytes, §1.1) or a full 32-byte Ed25519 seed.
    /// </summary>
    public static Identity FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length is not (16 or 32))
            throw Errors.InvalidArgument("key.bad_seed_length", $"a seed has 16 or 32 bytes, got {seed.Length}");
        Span<byte> seed32 = stackalloc byte[32];
        seed32.Clear();
        seed.CopyTo(seed32);
        try { return new Identity(seed32); }
        finally { Interop.LibSodium.Zero(seed32); }
    }

    /// <summary>From a 13-word (or 25-word) recovery phrase (§2).</summary>
    public static Identity FromRecoveryPhrase(string phrase)
    {
        byte[] seed = RecoveryPhrase.Decode(phrase);
        try { return FromSeed(seed); }
        finally { Interop.LibSodium.Zero(seed); }
    }

    /// <summary>The account's 05 Session ID.</summary>
    public SessionId SessionId { get; }

    /// <summary>The Ed25519 public key (32 bytes).</summary>
    public ReadOnlySpan<byte> Ed25519PublicKey => Secret.AsSpan(EdSkOffset + 32, 32);

    /// <summary>The X25519 public key (32 bytes), the Session ID without its prefix.</summary>
    public ReadOnlySpan<byte> X25519PublicKey => _xPk;

    /// <summary>
    /// The recovery phrase: 13 words when the seed is the padded 16-byte form the apps use,
    /// 25 words for any other 32-byte seed.
    /// </summary>
    public string ToRecoveryPhrase()
    {
        ReadOnlySpan<byte> seed = Seed;
        bool shortSeed = !seed[16..].ContainsAnyExcept((byte)0);
        return RecoveryPhrase.Encode(shortSeed ? seed[..16] : seed);
    }

    internal ReadOnlySpan<byte> Seed => Secret.AsSpan(SeedOffset, 32);
    internal ReadOnlySpan<byte> Ed25519SecretKey => Secret.AsSpan(EdSkOffset, 64);
    /// <summary>The same key as memory over the pinned buffer (for async signing): no copy is ever made.</summary>
    internal ReadOnlyMemory<byte> Ed25519SecretKeyMemory => Secret.AsMemory(EdSkOffset, 64);
    /// <summary>Also the Ed25519 private scalar a (A = a·B), used by blinding.</summary>
    internal ReadOnlySpan<byte> X25519SecretKey => Secret.AsSpan(XSkOffset, 32);

    /// <summary>The 15-blinded key pair for a community server, computed once per server.</summary>
    internal BlindedKeyPair Blinded15(ReadOnlySpan<byte> serverPk) => GetBlinded(SessionIdPrefix.Blinded15, serverPk);

    /// <summary>The 25-blinded key pair for a community server, computed once per server.</summary>
    internal BlindedKeyPair Blinded25(ReadOnlySpan<byte> serverPk) => GetBlinded(SessionIdPrefix.Blinded25, serverPk);

    /// <summary>
    /// The Session ID of the sender whose (verified) Ed25519 key this is: the Ed→X conversion is
    /// remembered for the last sender, since a batch from one conversation repeats it. Public keys only.
    /// </summary>
    internal bool TrySenderId(ReadOnlySpan<byte> senderEd25519, out SessionId id)
    {
        KnownSender? last = Volatile.Read(ref _lastSender);
        if (last is not null && senderEd25519.SequenceEqual(last.Ed25519))
        {
            id = last.Id;
            return true;
        }
        Span<byte> senderX = stackalloc byte[32];
        if (!Primitives.EdPkToX(senderEd25519, senderX))
        {
            id = default;
            return false;
        }
        id = SessionId.FromKey(SessionIdPrefix.Standard, senderX);
        Volatile.Write(ref _lastSender, new KnownSender(senderEd25519.ToArray(), id));
        return true;
    }

    private BlindedKeyPair GetBlinded(SessionIdPrefix kind, ReadOnlySpan<byte> serverPk)
    {
        var key = BlindingCacheKey.Create(kind, serverPk);
        if (_blinded.TryGetValue(key, out BlindedKeyPair? cached)) return cached;
        BlindedKeyPair fresh = kind == SessionIdPrefix.Blinded15
            ? Blinding.ComputeBlind15KeyPair(this, serverPk)
            : Blinding.ComputeBlind25KeyPair(this, serverPk);
        BlindedKeyPair stored = _blinded.GetOrAdd(key, fresh);
        if (!ReferenceEquals(stored, fresh)) fresh.Dispose();   // lost a race; keep one copy
        return stored;
    }

    private byte[] Secret
    {
        get
        {
            if (_disposed) throw Errors.WrongState("identity.disposed", "the identity has been disposed");
            return _secret;
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Interop.LibSodium.Zero(_secret);
        foreach (BlindedKeyPair pair in _blinded.Values) pair.Dispose();
        _blinded.Clear();
        GC.SuppressFinalize(this);
    }

    // A forgotten Dispose still wipes the keys once the identity is collected. Only plain arrays
    // are touched here (the blinded pairs have no finalizer of their own), so this is safe.
    ~Identity()
    {
        Interop.LibSodium.Zero(_secret);
        foreach (BlindedKeyPair pair in _blinded.Values) pair.Dispose();
    }
}
