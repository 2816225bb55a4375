using BenchmarkDotNet.Attributes;
using SessionInterop.Crypto;
using SessionInterop.Network.Client;
using SessionInterop.Protocol;
using SessionInterop.Protocol.Protos;
using Na = SessionInterop.Interop.LibSodium;

namespace SessionInterop.Bench;

/// <summary>
/// A 1:1 message as session_send encodes it (protobuf Content, padding, sign + seal, Envelope and
/// WebSocketMessage) and as the inbox decodes it, next to the floor: the same libsodium calls over
/// the same (padded) bytes, made directly through P/Invoke in this process.
/// </summary>
[MemoryDiagnoser]
public unsafe class MessageCodecBench
{
    [Params(100, 4096)]
    public int TextBytes { get; set; }

    private Identity _alice = null!, _bob = null!;
    private SessionId _bobId;
    private Content _content = null!;
    private byte[] _encoded = null!;
    private byte[] _plain = null!, _sealed = null!, _opened = null!;
    private readonly byte[] _sig = new byte[64];

    [GlobalSetup]
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
    [Benchmark]
    public byte[] Encode() => MessageCodec.EncodeForRecipientBytes(_alice, _bobId, _content, 1_700_000_000_000, deterministic: false);

    /// <summary>MessageCodec.Decode: what the inbox does with each stored message.</summary>
    [Benchmark]
    public object Decode() => MessageCodec.Decode(_bob, _encoded);

    /// <summary>Floor of Encode: crypto_sign_ed25519_detached + crypto_box_seal over the padded bytes.</summary>
    [Benchmark(Baseline = true)]
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
    }

    /// <summary>Floor of Decode: crypto_box_seal_open + crypto_sign_ed25519_verify_detached + ed→x.</summary>
    [Benchmark]
    public int FloorOpenVerify()
    {
        int m = _plain.Length - 96;
        byte* x = stackalloc byte[32];
        fixed (byte* o = _opened, c = _sealed, pk = _bob.X25519PublicKey, sk = _bob.X25519SecretKey)
        {
            int r = Na.crypto_box_seal_open(o, c, (ulong)_sealed.Length, pk, sk);
            byte* sig = stackalloc byte[64];
            new Span<byte>(o + m + 32, 64).CopyTo(new Span<byte>(sig, 64));
            _bob.X25519PublicKey.CopyTo(new Span<byte>(o + m + 32, 32));   // rebuild M ‖ A ‖ Y
            r |= Na.crypto_sign_ed25519_verify_detached(sig, o, (ulong)(m + 64), o + m);
            r |= Na.crypto_sign_ed25519_pk_to_curve25519(x, o + m);
            return r;
        }
    }
}

/// <summary>Building a 3-hop onion request for a storage RPC (OnionRequestBuilder.ForSnode, AES-GCM).
/// There is no C ABI export for it; bench/bench.c measures the same libsodium calls from C.</summary>
[MemoryDiagnoser]
public class OnionBench
{
    public const int RpcBytes = 750;   // a store RPC carrying a 100-byte text; the C floor uses the same size

    private ServiceNode[] _path = null!;
    private ServiceNode _destination = null!;
    private byte[] _rpc = null!;

    [GlobalSetup]
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

    [Benchmark]
    public object Build3Hops() =>
        OnionRequestBuilder.ForSnode(_path, _destination, _rpc, OnionCipher.AesGcm, RandomOnionEntropy.Instance);
}
