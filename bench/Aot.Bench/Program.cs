namespace SessionInterop.Bench;

// Aot.Bench --quick [--iterations N] [--repeats R]: the workloads of bench/HotPaths, NativeAOT-compiled.
//   The targets are judged here, on the shipped kind of code (the JIT rows are for comparison).
// Aot.Bench --onion-rtt SEED_URL [N]: onion store round trips against direct ones on a running LocalNet.
public static class Program
{
    public static int Main(string[] args)
    {
        int i = Array.IndexOf(args, "--onion-rtt");
        if (i >= 0 && i + 1 < args.Length)
            return OnionRoundTrip.RunAsync(args[i + 1], i + 2 < args.Length ? int.Parse(args[i + 2], System.Globalization.CultureInfo.InvariantCulture) : 60).GetAwaiter().GetResult();
        return QuickRun.Run(args, "aot", "NativeAOT", target: "<=1.2", onionTarget: "<=1.3", groupTarget: "<=1.3");
    }
}
