using NUnit.Framework;

namespace SessionInterop.Interop.Tests;

/// <summary>
/// The four static header checks on the real header and library, and each of them failing on a
/// deliberately broken header (a check that cannot fail proves nothing).
/// </summary>
public sealed class HeaderCheckTests
{
    private static readonly System.Reflection.Assembly s_exports = typeof(SessionInterop.NativeExports.CTypeAttribute).Assembly;
    private string _scratch = "";

    [SetUp]
    public void CreateScratch() => _scratch = Directory.CreateTempSubdirectory("session-header-").FullName;

    [TearDown]
    public void RemoveScratch() => Directory.Delete(_scratch, recursive: true);

    private string BrokenCopy(string find, string replace)
    {
        string text = File.ReadAllText(Repo.Header);
        Assert.That(text, Does.Contain(find), "the mutation must apply to the real header");
        string path = Path.Combine(_scratch, "session.h");
        File.WriteAllText(path, text.Replace(find, replace));
        return path;
    }

    [Test]
    public void Header_compiles_as_c99_and_cpp17_with_warnings_as_errors() =>
        Assert.That(HeaderChecks.Compiles(Repo.Header), Is.Empty);

    [Test]
    public void Compile_check_fails_on_a_header_that_is_not_valid_c() =>
        Assert.That(HeaderChecks.Compiles(BrokenCopy("#include <stdint.h>", "")), Is.Not.Empty);

    [Test]
    public void Header_functions_equal_the_library_exports() =>
        Assert.That(HeaderChecks.MatchesExports(Repo.Header, Repo.Library), Is.Empty);

    [Test]
    public void Export_check_fails_when_the_header_declares_a_function_the_library_lacks()
    {
        string path = BrokenCopy("#ifdef __cplusplus\n}", "SESSION_API int32_t session_not_there(void);\n\n#ifdef __cplusplus\n}");
        Assert.That(HeaderChecks.MatchesExports(path, Repo.Library), Has.Some.Contains("session_not_there is declared but not exported"));
    }

    [Test]
    public void Export_check_fails_when_the_header_omits_an_export()
    {
        string path = BrokenCopy("SESSION_API uint32_t session_abi_minor(void);", "");
        Assert.That(HeaderChecks.MatchesExports(path, Repo.Library), Has.Some.Contains("session_abi_minor is exported but not declared"));
    }

    [Test]
    public void No_export_carries_a_name_of_the_official_libsession_util() =>
        Assert.That(HeaderChecks.AvoidsOfficialNames(HeaderChecks.ExportedSymbols(Repo.Library), Repo.DataFile("libsession-util-c-exports.txt")), Is.Empty);

    [Test]
    public void Official_name_check_fails_on_a_colliding_name()
    {
        var exported = HeaderChecks.ExportedSymbols(Repo.Library).Append("session_id_is_valid");
        Assert.That(HeaderChecks.AvoidsOfficialNames(exported, Repo.DataFile("libsession-util-c-exports.txt")),
            Is.EqualTo(new[] { "session_id_is_valid is also exported by libsession-util" }));
    }

    [Test]
    public void Official_name_list_is_the_real_one() =>
        Assert.That(File.ReadAllLines(Repo.DataFile("libsession-util-c-exports.txt")), Does.Contain("session_hash").And.Contain("session_id_is_valid"));

    [Test]
    public void Header_types_match_every_managed_export_signature()
    {
        Assert.That(HeaderChecks.TypesMatchManaged(Repo.Header, s_exports), Is.Empty);
        Assert.That(HeaderParser.Parse(Repo.Header).Select(f => f.Name),
            Is.EquivalentTo(HeaderChecks.ManagedExports(s_exports).Keys), "every managed export is declared");
    }

    [Test]
    public void Type_check_fails_on_a_widened_parameter()
    {
        string path = BrokenCopy("session_abi_compatible(uint32_t major, uint32_t minor)", "session_abi_compatible(uint64_t major, uint32_t minor)");
        Assert.That(HeaderChecks.TypesMatchManaged(path, s_exports), Has.Some.Contains("session_abi_compatible parameter major"));
    }

    [Test]
    public void Type_check_fails_on_a_wrong_return_type()
    {
        string path = BrokenCopy("SESSION_API const char* session_version_string(void);", "SESSION_API int32_t session_version_string(void);");
        Assert.That(HeaderChecks.TypesMatchManaged(path, s_exports), Has.Some.Contains("session_version_string return"));
    }

    [Test]
    public void Type_check_fails_on_a_missing_parameter()
    {
        string path = BrokenCopy("session_free_secret(void* p, size_t len)", "session_free_secret(void* p)");
        Assert.That(HeaderChecks.TypesMatchManaged(path, s_exports), Has.Some.Contains("session_free_secret: header has 1 parameters, export has 2"));
    }
}
