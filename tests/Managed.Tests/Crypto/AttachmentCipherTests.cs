using System.Security.Cryptography;
using NUnit.Framework;
using SessionInterop.Crypto.Attachments;

namespace SessionInterop.Tests.Crypto;

public sealed class AttachmentCipherTests
{
    private static byte[] Data(int n) => Enumerable.Range(0, n).Select(i => (byte)(i * 7 % 256)).ToArray();

    // Desktop's bucket formula (Math.max(541, floor(1.05^ceil(log n / log 1.05)))) evaluated in doubles.
    [TestCase(1, 541)]
    [TestCase(541, 541)]
    [TestCase(542, 568)]
    [TestCase(1000, 1020)]
    [TestCase(123456, 127826)]
    [TestCase(9_999_999, 10_000_000)]
    public void Legacy_padding_uses_desktops_buckets(long n, long padded) =>
        Assert.That(LegacyAttachmentCipher.PaddedLength(n), Is.EqualTo(padded));

    /// <summary>The blob desktop uploads, built here with plain AES-CBC/HMAC as its attachmentsEncrypter does.</summary>
    private static (byte[] Blob, byte[] Keys, byte[] Digest) DesktopBlob(byte[] plaintext)
    {
        byte[] keys = RandomNumberGenerator.GetBytes(64), iv = RandomNumberGenerator.GetBytes(16);
        byte[] padded = new byte[LegacyAttachmentCipher.PaddedLength(plaintext.Length)];
        plaintext.CopyTo(padded, 0);
        using Aes aes = Aes.Create();
        aes.Key = keys[..32];
        byte[] ct = aes.EncryptCbc(padded, iv, PaddingMode.PKCS7);
        byte[] ivCt = [.. iv, .. ct];
        byte[] blob = [.. ivCt, .. HMACSHA256.HashData(keys[32..], ivCt)];
        return (blob, keys, SHA256.HashData(blob));
    }

    [TestCase(1)]
    [TestCase(540)]
    [TestCase(70_000)]
    public void A_blob_built_as_desktop_builds_it_decrypts_to_the_original(int n)
    {
        byte[] plaintext = Data(n);
        var (blob, keys, digest) = DesktopBlob(plaintext);
        var output = new MemoryStream();
        Assert.That(LegacyAttachmentCipher.Decrypt(blob, keys, digest, n, output), Is.EqualTo(n));
        Assert.That(output.ToArray(), Is.EqualTo(plaintext));
    }

    [Test]
    public void Our_legacy_blob_is_what_desktop_would_decrypt()
    {
        byte[] plaintext = Data(5000);
        var (blob, keys, digest) = LegacyAttachmentCipher.Encrypt(new MemoryStream(plaintext), plaintext.Length);
        Assert.That(digest, Is.EqualTo(SHA256.HashData(blob)));
        Assert.That(blob, Has.Length.EqualTo(LegacyAttachmentCipher.BlobLength(5000)));
        // Desktop's decryptAttachment: MAC over iv‖ct, AES-CBC, then cut to the pointer's size.
        Assert.That(HMACSHA256.HashData(keys[32..], blob[..^32]), Is.EqualTo(blob[^32..]));
        using Aes aes = Aes.Create();
        aes.Key = keys[..32];
        byte[] padded = aes.DecryptCbc(blob[16..^32], blob[..16], PaddingMode.PKCS7);
        Assert.That(padded, Has.Length.EqualTo(LegacyAttachmentCipher.PaddedLength(5000)));
        Assert.That(padded[..5000], Is.EqualTo(plaintext));
        Assert.That(padded[5000..], Is.All.EqualTo((byte)0));
    }

    [Test]
    public void Legacy_rejects_bad_digest_bad_mac_truncation_and_wrong_size()
    {
        var (blob, keys, digest) = DesktopBlob(Data(100));
        Assert.That(Code(() => LegacyAttachmentCipher.Decrypt(blob, keys, new byte[32], 100, Stream.Null)), Is.EqualTo("attachment.bad_digest"));
        byte[] flipped = (byte[])blob.Clone();
        flipped[20] ^= 1;
        Assert.That(Code(() => LegacyAttachmentCipher.Decrypt(flipped, keys, [], 100, Stream.Null)), Is.EqualTo("attachment.bad_mac"));
        Assert.That(Code(() => LegacyAttachmentCipher.Decrypt(blob[..40], keys, [], 100, Stream.Null)), Is.EqualTo("attachment.truncated"));
        Assert.That(Code(() => LegacyAttachmentCipher.Decrypt(blob[..^16], keys, [], 100, Stream.Null)), Is.EqualTo("attachment.bad_mac"));
        Assert.That(Code(() => LegacyAttachmentCipher.Decrypt(blob, keys, digest, 1_000, Stream.Null)), Is.EqualTo("attachment.bad_size"));
        Assert.That(Code(() => LegacyAttachmentCipher.Encrypt(new MemoryStream(), 10_000_001)), Is.EqualTo("attachment.too_large"));
    }

    // Blob sizes libsession's own tests expect (tests/test_attachment_encrypt.cpp).
    [TestCase(0, 4096)]
    [TestCase(1, 4096)]
    [TestCase(4053, 4096)]
    [TestCase(4054, 8192)]
    [TestCase(8149, 8192)]
    [TestCase(8150, 12288)]
    [TestCase(33333, 36864)]
    [TestCase(261982, 262144)]
    [TestCase(261983, 270336)]
    [TestCase(523990, 524288)]
    [TestCase(523991, 540672)]
    [TestCase(6543210, 6553600)]
    [TestCase(10218286, 10223616)]
    public void Stream_encryption_has_libsessions_sizes_and_round_trips(int n, int expected)
    {
        byte[] seed = Convert.FromHexString("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        byte[] data = Data(n);
        var (blob, key) = StreamAttachmentCipher.Encrypt(seed, AttachmentDomain.Attachment, new MemoryStream(data));
        Assert.That(blob, Has.Length.EqualTo(expected));
        Assert.That(StreamAttachmentCipher.EncryptedLength(n), Is.EqualTo(expected));
        var (again, key2) = StreamAttachmentCipher.Encrypt(seed, AttachmentDomain.Attachment, new MemoryStream(data));
        Assert.That(key2, Is.EqualTo(key));
        Assert.That(again.AsSpan().SequenceEqual(blob), Is.True, "deterministic");
        // Decryption uses libsodium's own init_pull: it accepts the state we initialised by hand.
        var output = new MemoryStream();
        Assert.That(StreamAttachmentCipher.Decrypt(blob, key, output), Is.EqualTo(n));
        Assert.That(output.ToArray().AsSpan().SequenceEqual(data), Is.True);
    }

    [Test]
    public void Stream_keys_are_separated_by_seed_domain_and_content()
    {
        byte[] seed = Convert.FromHexString("2123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        byte[] seed2 = (byte[])seed.Clone();
        seed2[31] ^= 1;
        byte[] data = Data(50_000);
        byte[] data2 = (byte[])data.Clone();
        data2[43210] = 0x42;
        var (blob, key) = StreamAttachmentCipher.Encrypt(seed, AttachmentDomain.Attachment, new MemoryStream(data));
        var others = new[]
        {
            StreamAttachmentCipher.Encrypt(seed2, AttachmentDomain.Attachment, new MemoryStream(data)),
            StreamAttachmentCipher.Encrypt(seed, AttachmentDomain.ProfilePicture, new MemoryStream(data)),
            StreamAttachmentCipher.Encrypt(seed, AttachmentDomain.Attachment, new MemoryStream(data2)),
        };
        foreach (var (otherBlob, otherKey) in others)
        {
            Assert.That(otherKey, Is.Not.EqualTo(key));
            Assert.That(Code(() => StreamAttachmentCipher.Decrypt(otherBlob, key, Stream.Null)), Is.EqualTo("attachment.bad_mac"));
            Assert.That(Code(() => StreamAttachmentCipher.Decrypt(blob, otherKey, Stream.Null)), Is.EqualTo("attachment.bad_mac"));
        }
    }

    [Test]
    public void Stream_rejects_corruption_truncation_and_other_formats()
    {
        byte[] seed = new byte[32];
        var (blob, key) = StreamAttachmentCipher.Encrypt(seed, AttachmentDomain.Attachment, new MemoryStream(Data(70_000)));
        byte[] last = (byte[])blob.Clone();
        last[^1] ^= 1;
        Assert.That(Code(() => StreamAttachmentCipher.Decrypt(last, key, Stream.Null)), Is.EqualTo("attachment.bad_mac"));
        byte[] first = (byte[])blob.Clone();
        first[25] ^= 1;
        Assert.That(Code(() => StreamAttachmentCipher.Decrypt(first, key, Stream.Null)), Is.EqualTo("attachment.bad_mac"));
        // Cut at a chunk boundary: every chunk verifies, but the FINAL one is missing.
        Assert.That(Code(() => StreamAttachmentCipher.Decrypt(blob.AsSpan(0, 25 + 32_785).ToArray(), key, Stream.Null)), Is.EqualTo("attachment.truncated"));
        byte[] other = (byte[])blob.Clone();
        other[0] = (byte)'X';
        Assert.That(Code(() => StreamAttachmentCipher.Decrypt(other, key, Stream.Null)), Is.EqualTo("attachment.unknown_format"));
    }

    [Test]
    public void Profile_pictures_round_trip_and_reject_a_wrong_key()
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        byte[] picture = Data(3000);
        byte[] blob = ProfilePictureCipher.Encrypt(picture, key);
        Assert.That(blob, Has.Length.EqualTo(12 + 3000 + 16));
        // Desktop's decryptProfile: AES-GCM with the first 12 bytes as IV and a 16-byte tag at the end.
        using var gcm = new AesGcm(key, 16);
        byte[] plain = new byte[3000];
        gcm.Decrypt(blob[..12], blob[12..^16], blob[^16..], plain);
        Assert.That(plain, Is.EqualTo(picture));
        Assert.That(ProfilePictureCipher.Decrypt(blob, key), Is.EqualTo(picture));
        Assert.That(Code(() => ProfilePictureCipher.Decrypt(blob, new byte[32])), Is.EqualTo("attachment.bad_mac"));
    }

    private static string? Code(TestDelegate action)
    {
        try
        {
            action();
            return null;
        }
        catch (SessionException e)
        {
            return e.Code;
        }
    }
}
