using NUnit.Framework;
using SessionInterop.Interop;

namespace SessionInterop.Tests;

public sealed class SmokeTests
{
    [Test]
    public unsafe void Libsodium_point_arithmetic_is_bound()
    {
        // base*1 + base*1 == base*2 exercises the direct bindings LibSodium.Core lacks.
        byte[] one = new byte[32]; one[0] = 1;
        byte[] two = new byte[32]; two[0] = 2;
        byte[] p1 = new byte[32], p2 = new byte[32], sum = new byte[32];
        fixed (byte* o = one, t = two, a = p1, b = p2, s = sum)
        {
            Assert.That(LibSodium.sodium_init(), Is.GreaterThanOrEqualTo(0));
            Assert.That(LibSodium.crypto_scalarmult_ed25519_base_noclamp(a, o), Is.Zero);
            Assert.That(LibSodium.crypto_scalarmult_ed25519_base_noclamp(b, t), Is.Zero);
            Assert.That(LibSodium.crypto_core_ed25519_add(s, a, a), Is.Zero);
        }
        Assert.That(sum, Is.EqualTo(p2));
    }

    [Test]
    public void Version_string_names_the_abi()
    {
        Assert.That(LibraryInfo.VersionString, Does.Contain($"abi {LibraryInfo.AbiMajor}.{LibraryInfo.AbiMinor}"));
    }
}
