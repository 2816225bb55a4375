using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SessionInterop.Network.Client;

// The mainnet seeds use self-signed certificates (valid until 2033-04-05); like desktop we trust
// exactly those: SHA-256 fingerprints of the DER certificates (protocol-network.md §2.1).
internal static class SeedCertificatePins
{
    private static readonly Dictionary<string, string> s_pins = new(StringComparer.OrdinalIgnoreCase)
    {
        ["seed1.getsession.org"] = "36EA0B253537988551EE856E4FD20D55011E9C8B27EAA2F34B8F32A0BDF04F2D",
        ["seed2.getsession.org"] = "C5908DD4139ACD96AEDD1E45576597650809C8A5EA02AF556D4853D45396E0E7",
        ["seed3.getsession.org"] = "8A0AF2C712342F22CE00E53C1601410EF8D84156AEE0A9809C32F6F7EFBE556E",
    };

    public static bool IsPinned(string host) => s_pins.ContainsKey(host);

    /// <summary>Certificate check for one seed host: pinned hosts must match their pin; others need a valid chain unless self-signed is allowed.</summary>
    public static RemoteCertificateValidationCallback ValidatorFor(string host, bool acceptSelfSigned)
    {
        if (s_pins.TryGetValue(host, out string? pin))
        {
            byte[] expected = Convert.FromHexString(pin);
            return (_, certificate, _, _) =>
                certificate is not null && CryptographicOperations.FixedTimeEquals(certificate.GetCertHash(HashAlgorithmName.SHA256), expected);
        }
        return acceptSelfSigned
            ? static (_, _, _, _) => true
            : static (_, _, _, errors) => errors == SslPolicyErrors.None;
    }

    /// <summary>True when <paramref name="certificate"/> is the pinned one for <paramref name="host"/>.</summary>
    internal static bool Matches(string host, X509Certificate certificate) =>
        s_pins.TryGetValue(host, out string? pin)
        && CryptographicOperations.FixedTimeEquals(certificate.GetCertHash(HashAlgorithmName.SHA256), Convert.FromHexString(pin));
}
