using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace SessionInterop.Interop.Tests;

/// <summary>
/// The header checks of `make test`, each returning the problems it finds (empty = pass), so the
/// tests can run them on the real header and on deliberately broken copies.
/// </summary>
internal static class HeaderChecks
{
    /// <summary>1. The header compiles alone as C99 and as C++17 with every warning an error.</summary>
    internal static List<string> Compiles(string header)
    {
        var problems = new List<string>();
        foreach (var (compiler, args) in new[]
                 {
                     ("gcc", "-std=c99 -x c"), ("g++", "-std=c++17 -x c++"),
                     ("clang-14", "-std=c99 -x c"), ("clang++-14", "-std=c++17 -x c++"),
                 })
        {
            var (code, output) = Run(compiler, $"-fsyntax-only -Wall -Wextra -pedantic -Werror {args} \"{header}\"");
            if (code != 0) problems.Add($"{compiler} {args}: {output.Trim()}");
        }
        return problems;
    }

    /// <summary>2. The header's functions are exactly the session_* symbols the library exports.</summary>
    internal static List<string> MatchesExports(string header, string library)
    {
        var declared = HeaderParser.Parse(header).Select(f => f.Name).ToHashSet();
        var exported = ExportedSymbols(library).Where(s => s.StartsWith("session_", StringComparison.Ordinal)).ToHashSet();
        var problems = exported.Except(declared).Select(s => $"{s} is exported but not declared").ToList();
        problems.AddRange(declared.Except(exported).Select(s => $"{s} is declared but not exported"));
        return problems;
    }

    /// <summary>3. No exported name collides with the official libsession-util's C exports.</summary>
    internal static List<string> AvoidsOfficialNames(IEnumerable<string> exported, string denyListPath)
    {
        var deny = File.ReadAllLines(denyListPath).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet();
        return exported.Where(deny.Contains).Select(s => $"{s} is also exported by libsession-util").ToList();
    }

    /// <summary>4. Every declared function's return and parameter types can carry the export's managed signature.</summary>
    internal static List<string> TypesMatchManaged(string header, Assembly exportsAssembly)
    {
        var managed = ManagedExports(exportsAssembly);
        var problems = new List<string>();
        foreach (FunctionDecl decl in HeaderParser.Parse(header))
        {
            if (!managed.TryGetValue(decl.Name, out MethodInfo? method))
            {
                problems.Add($"{decl.Name} has no managed export");
                continue;
            }
            ParameterInfo[] ps = method.GetParameters();
            if (ps.Length != decl.Params.Count)
            {
                problems.Add($"{decl.Name}: header has {decl.Params.Count} parameters, export has {ps.Length}");
                continue;
            }
            AddIfAny(problems, SignatureMatcher.Mismatch(method.ReturnType, decl.Result, $"{decl.Name} return"));
            for (int i = 0; i < ps.Length; i++)
                AddIfAny(problems, SignatureMatcher.Mismatch(ps[i].ParameterType, decl.Params[i].Type, $"{decl.Name} parameter {ps[i].Name}"));
        }
        return problems;
    }

    internal static Dictionary<string, MethodInfo> ManagedExports(Assembly assembly) =>
        assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
            .Select(m => (m, a: m.GetCustomAttribute<UnmanagedCallersOnlyAttribute>()))
            .Where(x => x.a?.EntryPoint is not null)
            .ToDictionary(x => x.a!.EntryPoint!, x => x.m);

    internal static List<string> ExportedSymbols(string library)
    {
        var (code, output) = Run("nm", $"-D --defined-only \"{library}\"");
        if (code != 0) throw new InvalidOperationException($"nm failed: {output}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(p => p.Length == 3 && p[1] == "T")
            .Select(p => p[2].Split('@')[0])
            .ToList();
    }

    private static void AddIfAny(List<string> problems, string? problem)
    {
        if (problem is not null) problems.Add(problem);
    }

    internal static (int Code, string Output) Run(string file, string arguments)
    {
        var psi = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr);
    }
}
