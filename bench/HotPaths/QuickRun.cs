using System.Diagnostics;

namespace SessionInterop.Bench;

/// <summary>
/// The Stopwatch run bench/run.sh makes of the workloads: ours and its floor alternately, R repeats
/// of N calls; prints the medians, the median of the per-pair ratios and their quartiles as RESULT
/// lines for bench/report.py. <c>prefix</c> names the host ("managed" under the JIT, "aot" NativeAOT).
/// </summary>
public static class QuickRun
{
    public static int Run(string[] args, string prefix, string host, string target, string onionTarget, string groupTarget = "")
    {
        int n = Arg(args, "--iterations", 200), repeats = Arg(args, "--repeats", 7);
        Console.WriteLine($"# {host}; {repeats} repeats of {n} calls, medians");
        foreach (int size in new[] { 100, 4096 })
        {
            var codec = new CodecWorkload(size);
            codec.Setup();
            string name = size == 100 ? "100B" : "4KB";
            Compare($"{prefix}_encode_{name}", $"encode 1:1 text {name} (protobuf+pad+sign+seal+decoy proSig), {host}", () => codec.Encode(), codec.FloorSignSeal,
                "sign_detached + box_seal over the padded bytes + the decoy proSig's 2 scalar_random + scalarmult_base_noclamp (P/Invoke)", n, repeats, target);
            Compare($"{prefix}_decode_{name}", $"decode 1:1 text {name} (open+verify+unpad+parse), {host}", () => codec.Decode(), () => codec.FloorOpenVerify(),
                "box_seal_open + sign_verify (+ pk_to_curve25519 per new sender) (P/Invoke)", n, repeats, target);
        }
        // The decoy proSig alone (part of every encode above), for scale: what the encode floor gained.
        var decoy = new CodecWorkload(100);
        Compare($"{prefix}_decoy_prosig", $"decoy proSig alone (MessageCodec.DecoyProSig), {host}", () => Protocol.MessageCodec.DecoyProSig(), decoy.FloorDecoy,
            "2 scalar_random + scalarmult_ed25519_base_noclamp (P/Invoke)", n, repeats, "");
        foreach (int size in new[] { 100, 4096 })
        {
            var group = new GroupWorkload { PayloadBytes = size };
            group.Setup();
            string name = size == 100 ? "100B" : "4KB";
            Compare($"{prefix}_group_encrypt_{name}", $"group message encrypt {name} (zstd?+bt+sign+pad+AEAD), {host}", () => group.Encrypt(), group.FloorSignEncrypt,
                "sign_detached + xchacha20poly1305 over the padded bytes (P/Invoke)", n, repeats, groupTarget);
            Compare($"{prefix}_group_decrypt_{name}", $"group message decrypt {name} (AEAD+bt+verify), {host}", () => group.Decrypt(), () => group.FloorOpenVerify(),
                "xchacha20poly1305 open + sign_verify + pk_to_curve25519 (P/Invoke)", n, repeats, groupTarget);
        }
        var onion = new OnionWorkload();
        onion.Setup();
        if (OnionFloor.Available)
            Compare(prefix == "managed" ? "onion_build_managed" : $"{prefix}_onion_build", $"onion 3-hop build (OnionRequestBuilder.ForSnode), {host}",
                () => onion.Build3Hops(), OnionFloor.Build,
                "X25519 keygen + X25519 + HMAC-SHA256 + AES-256-GCM, x4 layers (P/Invoke)", n, repeats, onionTarget);
        else
            Console.WriteLine("onion floor: libsodium has no AES-GCM on this CPU; see the C figure");
        return 0;
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }

    private static double NsPerOp(Action op, int iterations)
    {
        long t0 = Stopwatch.GetTimestamp();
        for (int i = 0; i < iterations; i++) op();
        return Stopwatch.GetElapsedTime(t0).TotalNanoseconds / iterations;
    }

    internal static double Percentile(List<double> v, double p)
    {
        var s = v.Order().ToList();
        double k = (s.Count - 1) * p / 100;
        int lo = (int)k, hi = Math.Min(lo + 1, s.Count - 1);
        return s[lo] + (s[hi] - s[lo]) * (k - lo);
    }

    private static void Compare(string key, string label, Action ours, Action floor, string floorLabel, int n, int repeats, string target)
    {
        for (int i = 0; i < Math.Max(n, 50); i++) { ours(); floor(); }   // warm-up (tiered JIT; caches under AOT)
        var a = new List<double>();
        var b = new List<double>();
        for (int r = 0; r < repeats; r++)
        {
            a.Add(NsPerOp(ours, n));
            b.Add(NsPerOp(floor, n));
        }
        // The ratio judged is the median of per-repeat ratios (each pair ran back to back).
        List<double> q = a.Zip(b, (x, y) => x / y).ToList();
        double mq = Percentile(q, 50), q1 = Percentile(q, 25), q3 = Percentile(q, 75);
        double ma = Percentile(a, 50), mb = Percentile(b, 50);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"{label,-60} {ma,10:F0} ns   floor {mb,10:F0} ns   ratio {mq,5:F2}x (IQR {q1:F2}-{q3:F2}, of medians {ma / mb:F2}x)"));
        Console.WriteLine(string.Create(inv, $"RESULT\t{key}\t{label}\t{ma:F1}\tns\t{floorLabel}\t{mb:F1}\t{target}\t{mq:F4}\t{q1:F4}\t{q3:F4}"));
    }
}
