// HeaderGen: include/session.h from the compiled NativeExports assembly.
// Usage: HeaderGen --assembly libsession.dll --preamble HeaderPreamble.h --out include/session.h [--check]
// --check writes nothing and exits 3 when the header on disk differs from what would be generated.
using SessionInterop.HeaderGen;

string? assembly = null, preamble = null, output = null;
bool check = false;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--assembly": assembly = args[++i]; break;
        case "--preamble": preamble = args[++i]; break;
        case "--out": output = args[++i]; break;
        case "--check": check = true; break;
        default: Console.Error.WriteLine($"HeaderGen: unknown argument '{args[i]}'"); return 2;
    }
}
if (assembly is null || preamble is null || output is null)
{
    Console.Error.WriteLine("usage: HeaderGen --assembly DLL --preamble FILE --out HEADER [--check]");
    return 2;
}

try
{
    HeaderModel model = ModelReader.Read(assembly);
    string text = HeaderWriter.Write(model, File.ReadAllText(preamble));
    string? existing = File.Exists(output) ? File.ReadAllText(output) : null;
    if (check)
    {
        if (existing == text) return 0;
        Console.Error.WriteLine($"HeaderGen: {output} is stale; rebuild src/NativeExports and commit it.");
        return 3;
    }
    if (existing != text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        File.WriteAllText(output, text);
        Console.WriteLine($"HeaderGen: wrote {output} ({model.Functions.Count} functions)");
    }
    return 0;
}
catch (HeaderGenException e)
{
    Console.Error.WriteLine($"HeaderGen: error: {e.Message}");
    return 1;
}
