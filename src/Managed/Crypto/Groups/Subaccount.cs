namespace SessionInterop.Crypto.Groups;

/// <summary>Subaccount permission bits (token byte 1, protocol-groups.md §2.1).</summary>
[Flags]
internal enum SubaccountFlags : byte
{
    None = 0,
    Read = 0x01,
    Write = 0x02,
    Delete = 0x04,
    AnyPrefix = 0x08,
}

/// <summary>The three storage-request parameters a member signs a group request with.</summary>
internal sealed record SubaccountSignature(byte[] Token, byte[] TokenSignature, byte[] Signature)
{
    public string TokenBase64 => Convert.ToBase64String(Token);
    public string TokenSignatureBase64 => Convert.ToBase64String(TokenSignature);
    public string SignatureBase64 => Convert.ToBase64String(Signature);
}

/// <summary>
/// Subaccount authentication (protocol-groups.md §2): an admin hands a member a 100-byte auth value
/// prefix ‖ flags ‖ 00 00 ‖ k ‖ admin signature over the token prefix ‖ flags ‖ 00 00 ‖ kT, where k is
/// a per-member blinding scalar and T the member's Ed25519 key read from its Session ID (sign bit
/// cleared). The member signs storage requests as kT (a plain Ed25519 signature the storage server
/// checks), the admin revokes by the 36-byte token. Every admin derives the same values.
/// </summary>
internal static class Subaccount
{
    public const int TokenBytes = 36;
    public const int AuthBytes = 100;
    public const byte GroupPrefix = 0x03;
    public const SubaccountFlags DefaultFlags = SubaccountFlags.Read | SubaccountFlags.Write;

    private static ReadOnlySpan<byte> MaskKey => "SessionGroupSubaccountMask"u8;
    private static ReadOnlySpan<byte> SeedKey => "SubaccountSeed"u8;
    private static ReadOnlySpan<byte> SigKey => "SubaccountSig"u8;

    /// <summary>k = reduce(BLAKE2b-512(key = BLAKE2b-256(key = mask label, seed), 05 ‖ X ‖ 03 ‖ group pk)).</summary>
    private static void BlindingScalar(Identity group, SessionId member, Span<byte> k)
    {
        member.Require(SessionIdPrefix.Standard);
        Span<byte> mask = stackalloc byte[32];
        Span<byte> wide = stackalloc byte[64];
        Span<byte> groupPart = stackalloc byte[33];
        try
        {
            Primitives.Blake2b(mask, group.Seed, MaskKey);
            groupPart[0] = GroupPrefix;
            group.Ed25519PublicKey.CopyTo(groupPart[1..]);
            Primitives.Blake2b(wide, mask, member.AsSpan(), groupPart);
            Primitives.ScalarReduce(k, wide);
        }
        finally
        {
            Interop.LibSodium.Zero(mask);
            Interop.LibSodium.Zero(wide);
        }
    }

    /// <summary>kT with T the member's Ed25519 key recovered from its X25519 key (sign bit 0).</summary>
    private static void BlindedKey(ReadOnlySpan<byte> k, SessionId member, Span<byte> kT)
    {
        Span<byte> t = stackalloc byte[32];
        if (!MontgomeryToEdwards.Convert(member.Key, t) || !Primitives.PointMul(kT, k, t))
            throw Errors.InvalidArgument("group.bad_member_id", "the member's Session ID is not a usable key");
    }

    /// <summary>The 36-byte token the storage server sees (and revocations name) for a member.</summary>
    public static byte[] Token(Identity group, SessionId member, SubaccountFlags flags = DefaultFlags)
    {
        Span<byte> k = stackalloc byte[32];
        var token = new byte[TokenBytes];
        try
        {
            BlindingScalar(group, member, k);
            token[0] = GroupPrefix;
            token[1] = (byte)flags;
            BlindedKey(k, member, token.AsSpan(4));
        }
        finally { Interop.LibSodium.Zero(k); }
        return token;
    }

    /// <summary>The 100-byte auth value an admin gives a member (memberAuthData; UserGroups "s").</summary>
    public static byte[] MakeAuth(Identity group, SessionId member, SubaccountFlags flags = DefaultFlags)
    {
        byte[] token = Token(group, member, flags);
        var auth = new byte[AuthBytes];
        token.AsSpan(0, 4).CopyTo(auth);
        BlindingScalar(group, member, auth.AsSpan(4, 32));
        Primitives.Sign(group.Ed25519SecretKey, token, auth.AsSpan(36, 64));
        return auth;
    }

    /// <summary>The member's check of an auth value it received (swarm_verify_subaccount).</summary>
    public static bool Verify(ReadOnlySpan<byte> groupPk, Identity member, ReadOnlySpan<byte> auth,
        SubaccountFlags required = SubaccountFlags.Read)
    {
        if (auth.Length != AuthBytes || groupPk.Length != 32) return false;
        var flags = (SubaccountFlags)auth[1];
        if (auth[0] != GroupPrefix && !flags.HasFlag(SubaccountFlags.AnyPrefix)) return false;
        if ((flags & (required | SubaccountFlags.Read)) != (required | SubaccountFlags.Read)) return false;
        Span<byte> token = stackalloc byte[TokenBytes];
        if (!MemberToken(member, auth, token)) return false;
        return Primitives.Verify(auth[36..], token, groupPk);
    }

    /// <summary>token = auth[0..4] ‖ k·T, with T the member's own Ed25519 key with the sign bit cleared.</summary>
    private static bool MemberToken(Identity member, ReadOnlySpan<byte> auth, Span<byte> token)
    {
        Span<byte> t = stackalloc byte[32];
        member.Ed25519PublicKey.CopyTo(t);
        t[31] &= 0x7f;
        auth[..4].CopyTo(token);
        return Primitives.PointMul(token[4..], auth[4..36], t);
    }

    /// <summary>
    /// Signs a storage request as the subaccount (swarm_subaccount_sign): a standard Ed25519
    /// signature under kT with libsession's deterministic nonce, so the official vectors reproduce.
    /// </summary>
    public static SubaccountSignature Sign(Identity member, ReadOnlySpan<byte> auth, ReadOnlySpan<byte> message)
    {
        if (auth.Length != AuthBytes) throw Errors.InvalidArgument("group.bad_auth", "a subaccount auth value has 100 bytes");
        var token = new byte[TokenBytes];
        if (!MemberToken(member, auth, token)) throw Errors.InvalidArgument("group.bad_auth", "the subaccount auth value is unusable");
        ReadOnlySpan<byte> k = auth[4..36];
        ReadOnlySpan<byte> kT = token.AsSpan(4);
        bool negative = (member.Ed25519PublicKey[31] & 0x80) != 0;

        Span<byte> t = stackalloc byte[32], kt = stackalloc byte[32], hseed = stackalloc byte[32];
        Span<byte> wide = stackalloc byte[64], r = stackalloc byte[32], h = stackalloc byte[32];
        var signature = new byte[64];
        try
        {
            if (negative) Primitives.ScalarNegate(t, member.X25519SecretKey);
            else member.X25519SecretKey.CopyTo(t);
            Primitives.ScalarMul(kt, k, t);

            Primitives.Blake2b(hseed, member.Seed, SeedKey);
            Primitives.Blake2b(wide, SigKey, hseed, kT, message);
            Primitives.ScalarReduce(r, wide);
            if (!Primitives.BaseMul(signature.AsSpan(0, 32), r))
                throw Errors.Crypto("crypto.sign_failed", "subaccount nonce produced the identity point");
            Primitives.Sha512(wide, signature.AsSpan(0, 32), kT, message);
            Primitives.ScalarReduce(h, wide);
            Primitives.ScalarMul(wide[..32], h, kt);
            Primitives.ScalarAdd(signature.AsSpan(32), r, wide[..32]);
        }
        finally
        {
            Interop.LibSodium.Zero(t); Interop.LibSodium.Zero(kt); Interop.LibSodium.Zero(hseed);
            Interop.LibSodium.Zero(wide); Interop.LibSodium.Zero(r);
        }
        return new SubaccountSignature(token, auth[36..].ToArray(), signature);
    }
}
