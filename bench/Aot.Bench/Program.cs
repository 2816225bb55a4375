namespace SessionInterop.Bench;

// Aot.Bench --quick [--iterations N] [--repeats R]: the workloads of bench/HotPaths, NativeAOT-compiled.
// The targets are judged here, on the shipped kind of code (the JIT rows are for comparison).
public static class Program
{
    public static int Main(string[] args) => QuickRun.Run(args, "aot", "NativeAOT", target: "<=1.2", onionTarget: "<=1.3");
}
