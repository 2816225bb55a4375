using BenchmarkDotNet.Running;

namespace SessionInterop.Bench;

// Managed.Bench --quick [--iterations N] [--repeats R]   Stopwatch medians under the JIT (bench/HotPaths/QuickRun.cs)
// Managed.Bench [BenchmarkDotNet arguments]               the full BenchmarkDotNet run, e.g. --filter '*'
// The shipped code is NativeAOT: bench/Aot.Bench runs the same workloads compiled that way.
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Contains("--quick")) return QuickRun.Run(args, "managed", "JIT", target: "", onionTarget: "");
        // In process: BenchmarkDotNet's out-of-process toolchain looks the project up by assembly name
        // and would find tests/Managed.Tests (this assembly borrows its name for InternalsVisibleTo).
        if (!args.Contains("--inProcess")) args = [.. args, "--inProcess"];
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
