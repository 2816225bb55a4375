using System.Net;
using System.Security.Cryptography.X509Certificates;
using Sodium;

namespace SessionInterop.LocalNet.Topology;

// One service node: identity keys, address, swarm and fault switches.
internal sealed class LocalNode
{
    internal LocalNode(int index, byte[] seed, ulong swarmId, X509Certificate2 certificate)
    {
        Index = index;
        Address = IPAddress.Parse($"127.0.{index}.1");
        KeyPair ed = PublicKeyAuth.GenerateKeyPair(seed);
        Ed25519Public = ed.PublicKey;
        Ed25519Secret = ed.PrivateKey;
        X25519Public = PublicKeyAuth.ConvertEd25519PublicKeyToCurve25519PublicKey(ed.PublicKey);
        X25519Secret = PublicKeyAuth.ConvertEd25519SecretKeyToCurve25519SecretKey(ed.PrivateKey);
        Ed25519Hex = Convert.ToHexStringLower(Ed25519Public);
        X25519Hex = Convert.ToHexStringLower(X25519Public);
        SwarmId = swarmId;
        Certificate = certificate;
    }

    internal int Index { get; }
    internal IPAddress Address { get; }
    internal string Ip => Address.ToString();
    internal int Port { get; set; }
    internal byte[] Ed25519Public { get; }
    internal byte[] Ed25519Secret { get; }
    internal byte[] X25519Public { get; }
    internal byte[] X25519Secret { get; }
    internal string Ed25519Hex { get; }
    internal string X25519Hex { get; }
    internal ulong SwarmId { get; }
    internal X509Certificate2 Certificate { get; }
    internal NodeFaults Faults { get; } = new();

    /// <summary>Active = listed by the seed and known to other nodes as a relay target.</summary>
    internal bool IsActive => !Faults.Stopped;

    internal ServiceNodeInfo ToInfo() => new(Index, Ip, Port, Ed25519Hex, X25519Hex, SwarmId);

    /// <summary>This node's clock in Unix ms, including an injected skew.</summary>
    internal long NowMs(TimeProvider time) => time.GetUtcNow().ToUnixTimeMilliseconds() + Faults.ClockSkewMs;

    /// <summary>Signs with the node's Ed25519 key (per-node signatures in store/delete answers).</summary>
    internal string Sign(byte[] message) => Convert.ToBase64String(PublicKeyAuth.SignDetached(message, Ed25519Secret));
}
