using NUnit.Framework;

namespace SessionInterop.Interop.Tests;

/// <summary>Paths of the repository and of the published artefacts the tests check.</summary>
internal static class Repo
{
    internal static string Root { get; } = FindRoot();

    internal static string Header => Path.Combine(Root, "include", "session.h");

    /// <summary>The published library; `make dist` must have run (make test does it first).</summary>
    internal static string Library
    {
        get
        {
            string path = Environment.GetEnvironmentVariable("SESSION_LIBRARY") ?? Path.Combine(Root, "dist", "lib", "libsession.so");
            if (!File.Exists(path)) Assert.Fail($"{path} does not exist: run `make dist` first");
            return path;
        }
    }

    internal static string DataFile(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Data", name);

    private static string FindRoot()
    {
        string? fromEnv = Environment.GetEnvironmentVariable("SESSION_REPO_ROOT");
        if (fromEnv is not null) return fromEnv;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SessionInterop.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("cannot find the repository root (SessionInterop.sln)");
    }
}
