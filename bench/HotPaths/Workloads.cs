using SessionInterop.Crypto;
using SessionInterop.Crypto.Onion;
using SessionInterop.Network.Client;
using SessionInterop.Protocol;
using SessionInterop.Protocol.Protos;
using Na = SessionInterop.Interop.LibSodium;

namespace SessionInterop.Bench;

// The workloads both bench hosts time: Managed.Bench (JIT, also under BenchmarkDotNet) and Aot.Bench
// (compiled with NativeAOT, as libsession.so is). No BenchmarkDotNet here, so the AOT host needs none.

/// <summary>
/// A 1:1 message as session_send encodes it (protobuf Content, padding, sign + seal, Envelope and
/// WebSocketMessage) and as the inbox decodes it (the same sender each time), next to the floor: the same libsodium calls over
/// the same (padded) bytes, made directly through P/Invoke in this process.
/// </summary>
public sealed unsafe class CodecWorkload(int textBytes)
{
    public int TextBytes { get; } = textBytes;

    private Identity _alice = null!, _bob = null!;
    private SessionId _bobId;
    private Content _content = null!;
    private byte[] _encoded = null!;
    private byte[] _plain = null!, _sealed = null!, _opened = null!;
    private readonly byte[] _sig = new byte[64];

    public void Setup()
    {
        _alice = Identity.FromSeed(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        _bob = Identity.FromSeed(Enumerable.Range(101, 32).Select(i => (byte)i).ToArray());
        _bobId = _bob.SessionId;
        _content = Messages.Text(new string('x', TextBytes));
        _encoded = MessageCodec.EncodeForRecipientBytes(_alice, _bobId, _content, 1_700_000_000_000, deterministic: false);
        // The floor works on exactly the bytes the codec seals: the padded Content.
        int padded = Padding.PaddedLength(_content.CalculateSize() + 8);   // + sigTimestamp the encoder sets
        _plain = new byte[padded + 96];
        _sealed = new byte[padded + 96 + 48];
        _opened = new byte[padded + 96];
        FloorSignSeal();
        if (FloorOpenVerify() != 0) throw new InvalidOperationException("the floor does not open what it sealed");
        if (MessageCodec.Decode(_bob, _encoded).Sender != _alice.SessionId) throw new InvalidOperationException("decode");
    }

    /// <summary>MessageCodec.EncodeForRecipientBytes: what session_send does before writing to disk.</summary>
    public byte[] Encode() => MessageCodec.EncodeForRecipientBytes(_alice, _bobId, _content, 1_700_000_000_000, deterministic: false);

    /// <summary>MessageCodec.Decode: what the inbox does with each stored message.</summary>
    public object Decode() => MessageCodec.Decode(_bob, _encoded);

    /// <summary>
    /// Floor of Encode: crypto_sign_ed25519_detached + crypto_box_seal over the padded bytes, and the
    /// calls libsession makes for the Envelope's decoy proSig (a random scalar r, r·B, a second random
    /// scalar): every official 1:1 send without Session Pro pays them too.
    /// </summary>
    public void FloorSignSeal()
    {
        int m = _plain.Length - 96;
        // P = M ‖ A ‖ sig where sig signs M ‖ A ‖ Y (SessionBox.Seal).
        _alice.Ed25519PublicKey.CopyTo(_plain.AsSpan(m));
        _bob.X25519PublicKey.CopyTo(_plain.AsSpan(m + 32));
        fixed (byte* p = _plain, s = _sig, c = _sealed, sk = _alice.Ed25519SecretKey, pk = _bob.X25519PublicKey)
        {
            Na.crypto_sign_ed25519_detached(s, null, p, (ulong)(m + 64), sk);
            _sig.CopyTo(_plain.AsSpan(m + 32));
            Na.crypto_box_seal(c, p, (ulong)(m + 96), pk);
        }
        FloorDecoy();
    }

    /// <summary>The decoy proSig's libsodium calls (libsession's encode_for_destination without a Pro key).</summary>
    public void FloorDecoy()
    {
        fixed (byte* d = _decoy)
        {
            byte* r = stackalloc byte[32];
            Na.crypto_core_ed25519_scalar_random(r);
            Na.crypto_scalarmult_ed25519_base_noclamp(d, r);
            Na.crypto_core_ed25519_scalar_random(d + 32);
        }
    }

    private readonly byte[] _decoy = new byte[64];

    /// <summary>
    /// Floor of Decode: crypto_box_seal_open + crypto_sign_ed25519_verify_detached, and ed→x for a
    /// sender not seen last (the library remembers the last sender's conversion; so does the floor).
    /// </summary>
    public int FloorOpenVerify()
    {
        int m = _plain.Length - 96;
        fixed (byte* o = _opened, c = _sealed, pk = _bob.X25519PublicKey, sk = _bob.X25519SecretKey, last = _lastSenderEd, x = _lastSenderX)
        {
            int r = Na.crypto_box_seal_open(o, c, (ulong)_sealed.Length, pk, sk);
            byte* sig = stackalloc byte[64];
            new Span<byte>(o + m + 32, 64).CopyTo(new Span<byte>(sig, 64));
            _bob.X25519PublicKey.CopyTo(new Span<byte>(o + m + 32, 32));   // rebuild M ‖ A ‖ Y
            r |= Na.crypto_sign_ed25519_verify_detached(sig, o, (ulong)(m + 64), o + m);
            if (!new ReadOnlySpan<byte>(o + m, 32).SequenceEqual(new ReadOnlySpan<byte>(last, 32)))
            {
                r |= Na.crypto_sign_ed25519_pk_to_curve25519(x, o + m);
                new ReadOnlySpan<byte>(o + m, 32).CopyTo(new Span<byte>(last, 32));
            }
            return r;
        }
    }

    private readonly byte[] _lastSenderEd = new byte[32], _lastSenderX = new byte[32];
}

/// <summary>Building a 3-hop onion request for a storage RPC (OnionRequestBuilder.ForSnode, AES-GCM).
/// There is no C ABI export for it; bench/bench.c measures the same libsodium calls from C.</summary>
public sealed class OnionWorkload
{
    public const int RpcBytes = 750;   // a store RPC carrying a 100-byte text; the C floor uses the same size

    private ServiceNode[] _path = null!;
    private ServiceNode _destination = null!;
    private byte[] _rpc = null!;

    public void Setup()
    {
        ServiceNode Node(int i)
        {
            using Identity key = Identity.FromSeed(Enumerable.Repeat((byte)(i + 1), 32).ToArray());
            return new ServiceNode($"127.0.{i}.1", 443, Convert.ToHexStringLower(key.Ed25519PublicKey), Convert.ToHexStringLower(key.X25519PublicKey));
        }
        _path = [Node(1), Node(2), Node(3)];
        _destination = Node(4);
        _rpc = Enumerable.Range(0, RpcBytes).Select(i => (byte)('a' + i % 26)).ToArray();
    }

    public object Build3Hops() =>
        OnionRequestBuilder.ForSnode(_path, _destination, _rpc, OnionCipher.AesGcm, RandomOnionEntropy.Instance);
}

/// <summary>
/// The onion build's floor in this process: per layer (destination + 3 hops) an X25519 key pair,
/// X25519 with the node key, HMAC-SHA256("LOKI", S) and AES-256-GCM over a frame of the same size,
/// all libsodium calls through P/Invoke (bench/bench.c makes the same calls from C).
/// </summary>
public static unsafe partial class OnionFloor
{
    private const string Lib = "libsodium";
    [System.Runtime.InteropServices.LibraryImport(Lib)] private static partial int crypto_aead_aes256gcm_is_available();
    [System.Runtime.InteropServices.LibraryImport(Lib)] private static partial int crypto_aead_aes256gcm_encrypt(byte* c, ulong* clen, byte* m, ulong mlen, byte* ad, ulong adlen, byte* nsec, byte* npub, byte* k);
    [System.Runtime.InteropServices.LibraryImport(Lib)] private static partial int crypto_auth_hmacsha256(byte* @out, byte* input, ulong inlen, byte* k);
    [System.Runtime.InteropServices.LibraryImport(Lib)] private static partial void randombytes_buf(byte* buf, nuint size);
    [System.Runtime.InteropServices.LibraryImport(Lib)] private static partial int crypto_scalarmult_curve25519(byte* q, byte* n, byte* p);
    [System.Runtime.InteropServices.LibraryImport(Lib)] private static partial int crypto_scalarmult_curve25519_base(byte* q, byte* n);

    private static readonly byte[] s_nodeKey = new byte[32];
    private static readonly byte[] s_buffer = new byte[8192];
    private static readonly byte[] s_out = new byte[8192];

    public static bool Available => crypto_aead_aes256gcm_is_available() == 1;

    /// <summary>Four layers growing from a 750-byte RPC by ~190 bytes of routing JSON each.</summary>
    public static void Build()
    {
        byte* sk = stackalloc byte[32];
        byte* pk = stackalloc byte[32];
        byte* shared = stackalloc byte[32];
        byte* key = stackalloc byte[32];
        byte* nonce = stackalloc byte[12];
        // crypto_auth_hmacsha256 takes a 32-byte key: "LOKI" zero-padded is the same HMAC key.
        byte* loki = stackalloc byte[32];
        new Span<byte>(loki, 32).Clear();
        loki[0] = (byte)'L'; loki[1] = (byte)'O'; loki[2] = (byte)'K'; loki[3] = (byte)'I';
        fixed (byte* node = s_nodeKey, buf = s_buffer, o = s_out)
        {
            int len = OnionWorkload.RpcBytes + 18;
            for (int layer = 0; layer < 4; layer++)
            {
                randombytes_buf(sk, 32);
                crypto_scalarmult_curve25519_base(pk, sk);
                crypto_scalarmult_curve25519(shared, sk, node);
                crypto_auth_hmacsha256(key, shared, 32, loki);
                randombytes_buf(nonce, 12);
                ulong clen;
                crypto_aead_aes256gcm_encrypt(o, &clen, buf, (ulong)len, null, 0, null, nonce, key);
                len = (int)clen + 12 + 4 + 190;
            }
        }
    }

    static OnionFloor()
    {
        fixed (byte* k = s_nodeKey)
        {
            byte* sk = stackalloc byte[32];
            randombytes_buf(sk, 32);
            crypto_scalarmult_curve25519_base(k, sk);
        }
    }
}
