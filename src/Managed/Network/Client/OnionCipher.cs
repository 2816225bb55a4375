namespace SessionInterop.Network.Client;

/// <summary>The symmetric cipher used for every onion layer (protocol-network.md §5.1).</summary>
public enum OnionCipher
{
    /// <summary>AES-256-GCM: what desktop and Android use; the default when no <c>enc_type</c> is sent.</summary>
    AesGcm = 0,
    /// <summary>XChaCha20-Poly1305 (IETF): what libsession/iOS use; sent as <c>enc_type:"xchacha20"</c>.</summary>
    XChaCha20 = 1,
}
