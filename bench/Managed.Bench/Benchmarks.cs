using BenchmarkDotNet.Attributes;

namespace SessionInterop.Bench;

/// <summary>BenchmarkDotNet's view of the codec workload (bench/HotPaths), at both message sizes.</summary>
[MemoryDiagnoser]
public class MessageCodecBench
{
    private CodecWorkload _work = null!;

    [Params(100, 4096)]
    public int TextBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _work = new CodecWorkload(TextBytes);
        _work.Setup();
    }

    [Benchmark]
    public byte[] Encode() => _work.Encode();

    [Benchmark]
    public object Decode() => _work.Decode();

    [Benchmark(Baseline = true)]
    public void FloorSignSeal() => _work.FloorSignSeal();

    [Benchmark]
    public int FloorOpenVerify() => _work.FloorOpenVerify();
}

/// <summary>BenchmarkDotNet's view of the 3-hop onion build.</summary>
[MemoryDiagnoser]
public class OnionBench
{
    private readonly OnionWorkload _work = new();

    [GlobalSetup]
    public void Setup() => _work.Setup();

    [Benchmark]
    public object Build3Hops() => _work.Build3Hops();
}
