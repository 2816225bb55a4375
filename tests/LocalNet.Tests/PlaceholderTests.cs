using NUnit.Framework;

namespace SessionInterop.LocalNet.Tests;

public sealed class LocalNetAssemblyTests
{
    [Test]
    public void LocalNet_assembly_loads()
    {
        Assert.That(typeof(LocalNetAssemblyTests).Assembly.GetName().Name, Is.EqualTo("SessionInterop.LocalNet.Tests"));
    }
}
