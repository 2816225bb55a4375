using System.Diagnostics;
using SessionInterop.Fuzz;

// SessionInterop.Fuzz list                      the targets, one per line: NAME<TAB>what it covers
// SessionInterop.Fuzz afl TARGET                 the AFL++ persistent loop (run by afl-fuzz on the instrumented copy)
// SessionInterop.Fuzz replay TARGET PATH...     runs files (or every file in folders) once; exit 1 on a crash or hang
// SessionInterop.Fuzz replay-all DIR...          replays DIR/TARGET/ for every target (the smoke in `make test`)
// SessionInterop.Fuzz seeds DIR                 writes the generated seed corpora into DIR/TARGET/
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: SessionInterop.Fuzz list | afl TARGET | replay TARGET PATH... | seeds DIR");
    return 2;
}
switch (args[0])
{
    case "list":
        foreach (Target t in Targets.All) Console.WriteLine($"{t.Name}\t{t.Covers}");
        return 0;
    case "seeds" when args.Length == 2:
        Seeds.Write(args[1]);
        return 0;
    case "afl" when args.Length == 2:
        // No instrumented code may run before Fuzzer.Run has mapped AFL's shared memory, so the
        // target (whose statics call into the library) is looked up inside the loop.
        Target? chosen = null;
        SharpFuzz.Fuzzer.Run(stream =>
        {
            chosen ??= Targets.Find(args[1]) ?? throw new ArgumentException($"unknown target {args[1]}");
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            chosen.Run(buffer.ToArray());
        });
        return 0;
    case "replay" when args.Length >= 3 && Targets.Find(args[1]) is { } target:
        return Replay(target, args[2..]);
    case "replay-all" when args.Length >= 2:
        int failures = 0;
        foreach (Target t in Targets.All)
            failures += Replay(t, args[1..].Select(d => Path.Combine(d, t.Name)).Where(Directory.Exists).ToArray());
        Console.WriteLine($"fuzz-replay: {Targets.All.Count - failures} passed, {failures} failed");
        return failures == 0 ? 0 : 1;
    default:
        Console.Error.WriteLine($"unknown command or target: {string.Join(' ', args)}");
        return 2;
}

// A crash is any exception the target lets escape; a hang is an input slower than HangAfter.
static int Replay(Target target, string[] paths)
{
    TimeSpan hangAfter = TimeSpan.FromSeconds(2);
    var files = paths.SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories) : [p])
        .Where(f => !Path.GetFileName(f).StartsWith('.') && !f.EndsWith(".md", StringComparison.Ordinal)).Order().ToList();
    int crashes = 0, hangs = 0;
    foreach (string file in files)
    {
        var watch = Stopwatch.StartNew();
        try { target.Run(File.ReadAllBytes(file)); }
        catch (Exception e)
        {
            crashes++;
            Console.WriteLine($"CRASH {target.Name} {file}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
        }
        if (watch.Elapsed > hangAfter)
        {
            hangs++;
            Console.WriteLine($"HANG {target.Name} {file}: {watch.Elapsed.TotalMilliseconds:F0} ms");
        }
    }
    Console.WriteLine($"replay {target.Name}: {files.Count} inputs, {crashes} crashes, {hangs} hangs");
    return crashes + hangs == 0 && files.Count > 0 ? 0 : 1;
}
