using System.Diagnostics;
using BenchmarkDotNet.Running;

namespace SessionInterop.Bench;

// Managed.Bench --quick [--iterations N] [--repeats R]   Stopwatch medians, RESULT lines for bench/report.py
// Managed.Bench [BenchmarkDotNet arguments]               the full BenchmarkDotNet run, e.g. --filter '*'
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Contains("--quick")) return Quick(args);
        // In process: BenchmarkDotNet's out-of-process toolchain looks the project up by assembly name
        // and would find tests/Managed.Tests (this assembly borrows its name for InternalsVisibleTo).
        if (!args.Contains("--inProcess")) args = [.. args, "--inProcess"];
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
    }

    private static double NsPerOp(Action op, int iterations)
    {
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < iterations; i++) op();
        return sw.Elapsed.TotalNanoseconds / iterations;
    }

    private static double Median(List<double> v)
    {
        v.Sort();
        return v.Count % 2 == 1 ? v[v.Count / 2] : (v[v.Count / 2 - 1] + v[v.Count / 2]) / 2;
    }

    /// <summary>Times ours and the floor alternately, R repeats of N calls each; prints medians.</summary>
    private static void Compare(string key, string label, Action ours, Action floor, string floorLabel, int n, int repeats, string target)
    {
        for (int i = 0; i < Math.Max(n, 50); i++) { ours(); floor(); }   // tiered JIT warm-up
        var a = new List<double>();
        var b = new List<double>();
        for (int r = 0; r < repeats; r++)
        {
            a.Add(NsPerOp(ours, n));
            b.Add(NsPerOp(floor, n));
        }
        // The ratio is the median of per-repeat ratios (each pair ran back to back).
        double mq = Median(a.Zip(b, (x, y) => x / y).ToList());
        double ma = Median(a), mb = Median(b);
        Console.WriteLine($"{label,-44} {ma,12:F0} ns   floor {mb,12:F0} ns   ratio {mq,5:F2}x   ({floorLabel})");
        Console.WriteLine($"RESULT\t{key}\t{label}\t{ma:F1}\tns\t{floorLabel}\t{mb:F1}\t{target}\t{mq:F4}");
    }

    private static int Quick(string[] args)
    {
        int n = Arg(args, "--iterations", 200), repeats = Arg(args, "--repeats", 7);
        foreach (int size in new[] { 100, 4096 })
        {
            var codec = new MessageCodecBench { TextBytes = size };
            codec.Setup();
            string name = size == 100 ? "100B" : "4KB";
            Compare($"managed_encode_{name}", $"encode 1:1 text {name} (protobuf+pad+sign+seal)", () => codec.Encode(), codec.FloorSignSeal,
                "sign_detached + box_seal over the padded bytes (P/Invoke)", n, repeats, "<=1.2");
            Compare($"managed_decode_{name}", $"decode 1:1 text {name} (open+verify+unpad+parse)", () => codec.Decode(), () => codec.FloorOpenVerify(),
                "box_seal_open + sign_verify + pk_to_curve25519 (P/Invoke)", n, repeats, "<=1.2");
        }
        foreach (int size in new[] { 100, 4096 })
        {
            var group = new GroupMessageBench { PayloadBytes = size };
            group.Setup();
            string name = size == 100 ? "100B" : "4KB";
            Compare($"group_encrypt_{name}", $"group message encrypt {name} (zstd?+bt+sign+pad+AEAD)", () => group.Encrypt(), group.FloorSignEncrypt,
                "sign_detached + xchacha20poly1305 over the padded bytes (P/Invoke)", n, repeats, "<=1.3");
            Compare($"group_decrypt_{name}", $"group message decrypt {name} (AEAD+bt+verify)", () => group.Decrypt(), () => group.FloorOpenVerify(),
                "xchacha20poly1305 open + sign_verify + pk_to_curve25519 (P/Invoke)", n, repeats, "<=1.3");
        }
        var onion = new OnionBench();
        onion.Setup();
        if (OnionFloor.Available)
            Compare("onion_build_managed", "onion 3-hop build (OnionRequestBuilder.ForSnode)", () => onion.Build3Hops(), OnionFloor.Build,
                "X25519 keygen + X25519 + HMAC-SHA256 + AES-256-GCM, x4 layers (P/Invoke)", n, repeats, "<=1.3");
        else
            Console.WriteLine("onion floor: libsodium has no AES-GCM on this CPU; see the C figure");
        return 0;
    }
}
