using NUnit.Framework;
using NUnit.Framework.Internal;
using SessionInterop.Crypto;

namespace SessionInterop.Tests;

/// <summary>
/// Randomness for property tests, drawn from NUnit's per-run seeded randomizer so a failing run can
/// be replayed with the seed NUnit reports (identities too: they come from random seeds, not from
/// libsodium's generator).
/// </summary>
internal static class TestRandom
{
    public static Randomizer Rng => TestContext.CurrentContext.Random;

    public static byte[] Bytes(int count)
    {
        byte[] b = new byte[count];
        Rng.NextBytes(b);
        return b;
    }

    public static Identity NewIdentity() => Identity.FromSeed(Bytes(16));
}
