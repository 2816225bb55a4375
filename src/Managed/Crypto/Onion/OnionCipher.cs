namespace SessionInterop.Crypto.Onion;

/// <summary>The symmetric cipher used for every onion layer (protocol-network.md §5.1).</summary>
// Public (SnodeNetworkOptions.Cipher); it lives in Crypto so LocalNet and the client share one cipher type.
public enum OnionCipher
{
    /// <summary>AES-256-GCM: what desktop and Android use; the default when no <c>enc_type</c> is sent.</summary>
    AesGcm = 0,
    /// <summary>XChaCha20-Poly1305 (IETF): what libsession/iOS use; sent as <c>enc_type:"xchacha20"</c>.</summary>
    XChaCha20 = 1,
}

internal static class OnionCiphers
{
    /// <summary>Parses an <c>enc_type</c> value and its aliases; null or absent means AES-GCM.</summary>
    internal static bool TryParse(string? text, out OnionCipher cipher)
    {
        switch (text)
        {
            case null or "aes-gcm" or "gcm":
                cipher = OnionCipher.AesGcm;
                return true;
            case "xchacha20" or "xchacha20-poly1305":
                cipher = OnionCipher.XChaCha20;
                return true;
            default:
                cipher = OnionCipher.AesGcm;
                return false;
        }
    }

    /// <summary>The canonical <c>enc_type</c> wire name of a cipher.</summary>
    internal static string ToWireName(this OnionCipher cipher) =>
        cipher == OnionCipher.XChaCha20 ? "xchacha20" : "aes-gcm";
}
