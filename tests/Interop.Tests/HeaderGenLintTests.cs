using NUnit.Framework;

namespace SessionInterop.Interop.Tests;

/// <summary>
/// HeaderGen refuses exports that would crash a host or lie in the header, and names each one:
/// run on a fixture assembly that breaks every rule once.
/// </summary>
public sealed class HeaderGenLintTests
{
    private static string Built(string project, string assembly) =>
        Path.Combine(Repo.Root, project, "bin", "Release", "net10.0", assembly);

    private static (int Code, string Output) RunHeaderGen(string assembly, string output) =>
        HeaderChecks.Run("dotnet", $"\"{Built("tools/HeaderGen", "HeaderGen.dll")}\" --assembly \"{assembly}\" " +
            $"--preamble \"{Path.Combine(Repo.Root, "src", "NativeExports", "HeaderPreamble.h")}\" --out \"{output}\"");

    [Test]
    public void HeaderGen_refuses_every_bad_export_and_writes_nothing()
    {
        string output = Path.Combine(Path.GetTempPath(), $"fixture-{Guid.NewGuid():N}.h");
        var (code, text) = RunHeaderGen(Built("tests/HeaderGen.Fixtures", "SessionInterop.HeaderGen.Fixtures.dll"), output);
        Assert.That(code, Is.EqualTo(1), text);
        Assert.That(text, Does.Contain("fixture_stackalloc: stackalloc in an export"));
        Assert.That(text, Does.Contain("fixture_no_catch: the body must be wrapped in try"));
        Assert.That(text, Does.Contain("(fixture_char) parameter c: type System.Char cannot cross the C ABI"));
        Assert.That(text, Does.Contain("Unsectioned has exports but no [CSection]"));
        Assert.That(text, Does.Not.Contain("fixture_good"));
        Assert.That(File.Exists(output), Is.False);
    }

    [Test]
    public void HeaderGen_check_mode_reports_a_stale_header()
    {
        string stale = Path.Combine(Path.GetTempPath(), $"stale-{Guid.NewGuid():N}.h");
        File.WriteAllText(stale, File.ReadAllText(Repo.Header).Replace("session_abi_minor", "session_abi_minor_old"));
        try
        {
            var (code, text) = HeaderChecks.Run("dotnet", $"\"{Built("tools/HeaderGen", "HeaderGen.dll")}\" --assembly " +
                $"\"{Built("src/NativeExports", "libsession.dll")}\" --preamble \"{Path.Combine(Repo.Root, "src", "NativeExports", "HeaderPreamble.h")}\" --out \"{stale}\" --check");
            Assert.That(code, Is.EqualTo(3), text);
            Assert.That(text, Does.Contain("is stale"));
        }
        finally { File.Delete(stale); }
    }
}
