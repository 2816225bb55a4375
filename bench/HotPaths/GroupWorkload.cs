using SessionInterop.Crypto;
using SessionInterop.Protocol;
using Na = SessionInterop.Interop.LibSodium;

namespace SessionInterop.Bench;

/// <summary>
/// A closed-group message (GroupMessages: zstd when shorter, bt dict, Ed25519 over payload ‖ group
/// key, zero padding, XChaCha20-Poly1305) next to its floor in the same process: the Ed25519
/// signature and the AEAD over the same padded bytes, through P/Invoke. Payloads are incompressible
/// (random), so both paths handle the same sizes.
/// </summary>
public sealed unsafe class GroupWorkload
{
    public int PayloadBytes { get; set; } = 100;

    private Identity _sender = null!, _group = null!;
    private byte[] _key = null!, _payload = null!, _nonce = null!, _wire = null!;
    private byte[] _groupPk = null!, _signed = null!, _padded = null!, _cipher = null!, _opened = null!;
    private readonly byte[] _sig = new byte[64];

    public void Setup()
    {
        _sender = Identity.FromSeed(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        _group = Identity.FromSeed(Enumerable.Range(50, 32).Select(i => (byte)i).ToArray());
        _groupPk = _group.Ed25519PublicKey.ToArray();
        _key = Enumerable.Range(7, 32).Select(i => (byte)i).ToArray();
        _payload = new byte[PayloadBytes];
        new Random(42).NextBytes(_payload);
        _nonce = new byte[24];
        _wire = Encrypt();
        if (!GroupMessages.DecryptPayload([_key], _groupPk, _wire).Payload.AsSpan().SequenceEqual(_payload)) throw new InvalidOperationException("round trip");
        _signed = [.. _payload, .. _groupPk];
        _padded = new byte[_wire.Length - 40];
        _cipher = new byte[_wire.Length - 24];
        _opened = new byte[_padded.Length];
        FloorSignEncrypt();
        if (FloorOpenVerify() != 0) throw new InvalidOperationException("floor");
    }

    public byte[] Encrypt() => GroupMessages.EncryptPayload(_sender, _groupPk, _key, _payload, _nonce, compress: true);

    public object Decrypt() => GroupMessages.DecryptPayload([_key], _groupPk, _wire);

    /// <summary>crypto_sign_ed25519_detached over payload ‖ group key + XChaCha20-Poly1305 over the padded size.</summary>
    public void FloorSignEncrypt()
    {
        fixed (byte* m = _signed, s = _sig, sk = _sender.Ed25519SecretKey, p = _padded, c = _cipher, n = _nonce, k = _key)
        {
            Na.crypto_sign_ed25519_detached(s, null, m, (ulong)_signed.Length, sk);
            Na.crypto_aead_xchacha20poly1305_ietf_encrypt(c, null, p, (ulong)_padded.Length, null, 0, null, n, k);
        }
    }

    /// <summary>XChaCha20-Poly1305 open + Ed25519 verify + ed→x of the sender.</summary>
    public int FloorOpenVerify()
    {
        byte* x = stackalloc byte[32];
        fixed (byte* o = _opened, c = _cipher, n = _nonce, k = _key, m = _signed, s = _sig, pk = _sender.Ed25519PublicKey)
        {
            int r = Na.crypto_aead_xchacha20poly1305_ietf_decrypt(o, null, null, c, (ulong)_cipher.Length, null, 0, n, k);
            r |= Na.crypto_sign_ed25519_verify_detached(s, m, (ulong)_signed.Length, pk);
            r |= Na.crypto_sign_ed25519_pk_to_curve25519(x, pk);
            return r;
        }
    }
}
