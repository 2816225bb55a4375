namespace SessionInterop.Crypto.Onion;

// The onion layer ciphers of protocol-network.md §5.1. AES-GCM is the default when a JSON
// carries no "enc_type" (desktop, Android); libsession/iOS always send "xchacha20".
internal enum OnionEncType
{
    AesGcm,
    XChaCha20,
}

internal static class OnionEncTypes
{
    /// <summary>Parses an <c>enc_type</c> value and its aliases; null or absent means AES-GCM.</summary>
    internal static bool TryParse(string? text, out OnionEncType type)
    {
        switch (text)
        {
            case null:
            case "aes-gcm":
            case "gcm":
                type = OnionEncType.AesGcm;
                return true;
            case "xchacha20":
            case "xchacha20-poly1305":
                type = OnionEncType.XChaCha20;
                return true;
            default:
                type = OnionEncType.AesGcm;
                return false;
        }
    }

    /// <summary>The canonical wire name of a cipher.</summary>
    internal static string ToWireName(this OnionEncType type) =>
        type == OnionEncType.XChaCha20 ? "xchacha20" : "aes-gcm";
}
