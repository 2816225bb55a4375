using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SessionInterop.HeaderGen.Fixtures;

// HeaderGen matches attributes by name, so the fixture declares its own.
[AttributeUsage(AttributeTargets.Class)]
internal sealed class CSectionAttribute(int order, string title) : Attribute
{
    public int Order { get; } = order;
    public string Title { get; } = title;
}

/// <summary>One export per rule HeaderGen enforces, each breaking it.</summary>
[CSection(1, "Bad")]
internal static unsafe class BadExports
{
    /// <summary>stackalloc in an export body aborts the process when it is the first call.</summary>
    [UnmanagedCallersOnly(EntryPoint = "fixture_stackalloc", CallConvs = [typeof(CallConvCdecl)])]
    internal static int StackAlloc(int n)
    {
        try
        {
            byte* scratch = stackalloc byte[64];
            scratch[0] = (byte)n;
            return scratch[0];
        }
        catch (Exception) { return -1; }
    }

    /// <summary>No catch-all: an exception would cross the ABI and kill the host.</summary>
    [UnmanagedCallersOnly(EntryPoint = "fixture_no_catch", CallConvs = [typeof(CallConvCdecl)])]
    internal static int NoCatch(int n) => n > 0 ? n : throw new InvalidOperationException();

    /// <summary>char is not a C type with a fixed meaning across compilers.</summary>
    [UnmanagedCallersOnly(EntryPoint = "fixture_char", CallConvs = [typeof(CallConvCdecl)])]
    internal static int Char(char c)
    {
        try { return c; }
        catch (Exception) { return -1; }
    }

    /// <summary>A good export, which must not be reported.</summary>
    [UnmanagedCallersOnly(EntryPoint = "fixture_good", CallConvs = [typeof(CallConvCdecl)])]
    internal static int Good(int n)
    {
        try { return n; }
        catch (Exception) { return -1; }
    }
}

/// <summary>Exports in a class without a [CSection].</summary>
internal static class Unsectioned
{
    [UnmanagedCallersOnly(EntryPoint = "fixture_unsectioned", CallConvs = [typeof(CallConvCdecl)])]
    internal static int Export()
    {
        try { return 0; }
        catch (Exception) { return -1; }
    }
}
