namespace SessionInterop.Crypto;

/// <summary>
/// Community blinding (§7): blinded key pairs of our own account, blinded ids of other accounts,
/// and the blinded Ed25519-compatible signatures. Point math uses libsodium's noclamp calls.
/// </summary>
internal static class Blinding
{
    private static ReadOnlySpan<byte> Blind25SeedKey => "SessCommBlind25_seed"u8;
    private static ReadOnlySpan<byte> Blind25SigKey => "SessCommBlind25_sig"u8;

    /// <summary>Which secret the blind-15 nonce is derived from (§7.2.1 step 1).</summary>
    internal enum Blind15NonceSource
    {
        /// <summary>libsession: SHA-512 of the 64-byte secret key. What we emit.</summary>
        SecretKey,
        /// <summary>desktop and pysogs: SHA-512 of the 32-byte seed. Only for reproducing their vectors.</summary>
        Seed,
    }

    /// <summary>k = reduce(H_64(S_pk)).</summary>
    public static void Blind15Factor(ReadOnlySpan<byte> serverPk, Span<byte> k)
    {
        CheckServerKey(serverPk);
        Span<byte> h = stackalloc byte[64];
        Primitives.Blake2b(h, serverPk);
        Primitives.ScalarReduce(k, h);
    }

    /// <summary>k = reduce(H_64(0x05 ‖ X ‖ S_pk)).</summary>
    public static void Blind25Factor(ReadOnlySpan<byte> xPk, ReadOnlySpan<byte> serverPk, Span<byte> k)
    {
        CheckServerKey(serverPk);
        Span<byte> h = stackalloc byte[64];
        ReadOnlySpan<byte> prefix = [0x05];
        Primitives.Blake2b(h, default, prefix, xPk, serverPk);
        Primitives.ScalarReduce(k, h);
    }

    public static BlindedKeyPair ComputeBlind15KeyPair(Identity identity, ReadOnlySpan<byte> serverPk)
    {
        Span<byte> k = stackalloc byte[32];
        Blind15Factor(serverPk, k);
        return FromFactor(SessionIdPrefix.Blinded15, identity, k);
    }

    public static BlindedKeyPair ComputeBlind25KeyPair(Identity identity, ReadOnlySpan<byte> serverPk)
    {
        Span<byte> k = stackalloc byte[32];
        Blind25Factor(identity.X25519PublicKey, serverPk, k);
        // A "negative" Ed25519 key (sign bit set) is blinded with −k so the result equals k·|A|,
        // which is what others compute from our Session ID.
        if ((identity.Ed25519PublicKey[31] & 0x80) != 0)
        {
            Span<byte> neg = stackalloc byte[32];
            Primitives.ScalarNegate(neg, k);
            neg.CopyTo(k);
        }
        return FromFactor(SessionIdPrefix.Blinded25, identity, k);
    }

    private static BlindedKeyPair FromFactor(SessionIdPrefix prefix, Identity identity, ReadOnlySpan<byte> k)
    {
        Span<byte> ka = stackalloc byte[32];
        Span<byte> kA = stackalloc byte[32];
        try
        {
            Primitives.ScalarMul(ka, k, identity.X25519SecretKey);
            if (!Primitives.BaseMul(kA, ka))
                throw Errors.Crypto("blind.failed", "blinded key derivation failed");
            return new BlindedKeyPair(prefix, ka, kA);
        }
        finally
        {
            Interop.LibSodium.Zero(ka);
        }
    }

    /// <summary>
    /// The two possible 15-ids of a 05 Session ID, in libsession's order: k·A⁺ as computed, then the
    /// same point with the sign bit flipped (the real key may be −A⁺).
    /// </summary>
    public static (SessionId First, SessionId Second) Blind15Ids(SessionId sessionId, ReadOnlySpan<byte> serverPk)
    {
        Span<byte> k = stackalloc byte[32];
        Blind15Factor(serverPk, k);
        Span<byte> kA = stackalloc byte[32];
        MultiplyPositiveEd(sessionId, k, kA);
        SessionId first = SessionId.FromKey(SessionIdPrefix.Blinded15, kA);
        kA[31] ^= 0x80;
        return (first, SessionId.FromKey(SessionIdPrefix.Blinded15, kA));
    }

    /// <summary>The 25-id of a 05 Session ID (unique).</summary>
    public static SessionId Blind25Id(SessionId sessionId, ReadOnlySpan<byte> serverPk)
    {
        sessionId.Require(SessionIdPrefix.Standard);
        Span<byte> k = stackalloc byte[32];
        Blind25Factor(sessionId.Key, serverPk, k);
        Span<byte> kA = stackalloc byte[32];
        MultiplyPositiveEd(sessionId, k, kA);
        return SessionId.FromKey(SessionIdPrefix.Blinded25, kA);
    }

    /// <summary>True when <paramref name="blinded"/> (15 or 25) belongs to the 05 <paramref name="sessionId"/>.</summary>
    public static bool Matches(SessionId sessionId, SessionId blinded, ReadOnlySpan<byte> serverPk)
    {
        switch (blinded.Prefix)
        {
            case SessionIdPrefix.Blinded15:
                var (first, second) = Blind15Ids(sessionId, serverPk);
                return blinded == first || blinded == second;
            case SessionIdPrefix.Blinded25:
                return blinded == Blind25Id(sessionId, serverPk);
            default:
                return false;
        }
    }

    /// <summary>k·A⁺ where A⁺ is the sign-0 Edwards form of the id's X25519 key.</summary>
    private static void MultiplyPositiveEd(SessionId sessionId, ReadOnlySpan<byte> k, Span<byte> result)
    {
        sessionId.Require(SessionIdPrefix.Standard);
        Span<byte> ed = stackalloc byte[32];
        if (!MontgomeryToEdwards.Convert(sessionId.Key, ed) || !Primitives.PointMul(result, k, ed))
            throw Errors.InvalidArgument("id.not_on_main_subgroup", "the Session ID is not a valid public key");
    }

    /// <summary>Blind-15 signature (§7.2.1); verifies as plain Ed25519 against kA.</summary>
    public static void Sign15(Identity identity, ReadOnlySpan<byte> serverPk, ReadOnlySpan<byte> message, Span<byte> signature,
        Blind15NonceSource nonceSource = Blind15NonceSource.SecretKey)
    {
        BlindedKeyPair pair = identity.Blinded15(serverPk);
        Span<byte> hash = stackalloc byte[64];
        Span<byte> hrh = stackalloc byte[32];
        Span<byte> r = stackalloc byte[32];
        try
        {
            ReadOnlySpan<byte> nonceSecret = nonceSource == Blind15NonceSource.SecretKey ? identity.Ed25519SecretKey : identity.Seed;
            Primitives.Sha512(hash, nonceSecret, default);
            hash[32..].CopyTo(hrh);                                          // Hrh = upper half
            Primitives.Sha512(hash, hrh, pair.PublicKey, message);           // r = H(Hrh ‖ kA ‖ M)
            Primitives.ScalarReduce(r, hash);
            FinishSignature(pair, r, message, signature);
        }
        finally
        {
            Interop.LibSodium.Zero(hash);
            Interop.LibSodium.Zero(hrh);
            Interop.LibSodium.Zero(r);
        }
    }

    /// <summary>Blind-25 signature (§7.3.1); verifies as plain Ed25519 against kA.</summary>
    public static void Sign25(Identity identity, ReadOnlySpan<byte> serverPk, ReadOnlySpan<byte> message, Span<byte> signature)
    {
        BlindedKeyPair pair = identity.Blinded25(serverPk);
        Span<byte> seedHash = stackalloc byte[32];
        Span<byte> hash = stackalloc byte[64];
        Span<byte> r = stackalloc byte[32];
        try
        {
            Primitives.Blake2b(seedHash, identity.Seed, Blind25SeedKey);
            Primitives.Blake2b(hash, Blind25SigKey, seedHash, pair.PublicKey, message);
            Primitives.ScalarReduce(r, hash);
            FinishSignature(pair, r, message, signature);
        }
        finally
        {
            Interop.LibSodium.Zero(seedHash);
            Interop.LibSodium.Zero(hash);
            Interop.LibSodium.Zero(r);
        }
    }

    /// <summary>R = r·B; S = r + reduce(SHA512(R ‖ kA ‖ M))·ka; signature = R ‖ S.</summary>
    private static void FinishSignature(BlindedKeyPair pair, ReadOnlySpan<byte> r, ReadOnlySpan<byte> message, Span<byte> signature)
    {
        if (signature.Length != 64)
            throw Errors.InvalidArgument("crypto.bad_length", "a signature has 64 bytes");
        Span<byte> bigR = signature[..32];
        if (!Primitives.BaseMul(bigR, r))
            throw Errors.Crypto("blind.failed", "blinded signing failed");
        Span<byte> hash = stackalloc byte[64];
        Span<byte> h = stackalloc byte[32];
        Span<byte> hka = stackalloc byte[32];
        Primitives.Sha512(hash, bigR, pair.PublicKey, message);
        Primitives.ScalarReduce(h, hash);
        Primitives.ScalarMul(hka, h, pair.Scalar);
        Primitives.ScalarAdd(signature[32..], r, hka);
        Interop.LibSodium.Zero(hka);
    }

    private static void CheckServerKey(ReadOnlySpan<byte> serverPk)
    {
        if (serverPk.Length != 32)
            throw Errors.InvalidArgument("community.bad_server_key", $"a server public key has 32 bytes, got {serverPk.Length}");
    }
}
