namespace SessionInterop.Crypto;

/// <summary>
/// Decrypts a push-notification payload (§10.2): nonce(24) ‖ XChaCha20-Poly1305 ciphertext under
/// the subscription key; trailing zero padding is stripped from the plaintext.
/// </summary>
internal static class PushNotification
{
    public static byte[] Decrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> payload)
    {
        if (key.Length != Primitives.AeadKeyBytes)
            throw Errors.InvalidArgument("crypto.bad_length", "a notification key has 32 bytes");
        if (payload.Length < Primitives.AeadNonceBytes + Primitives.AeadTagBytes)
            throw Errors.Crypto("crypto.ciphertext_too_short", "notification payload is too short");
        var plain = new byte[payload.Length - Primitives.AeadNonceBytes - Primitives.AeadTagBytes];
        if (!Primitives.AeadDecrypt(payload[Primitives.AeadNonceBytes..], payload[..Primitives.AeadNonceBytes], key, plain))
            throw Errors.Crypto("crypto.decrypt_failed", "the notification could not be decrypted");
        int end = plain.AsSpan().LastIndexOfAnyExcept((byte)0) + 1;
        return plain.AsSpan(0, end).ToArray();
    }
}
