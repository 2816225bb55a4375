using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;

namespace SessionInterop.NativeExports.Abi;

/// <summary>
/// Static, never-freed UTF-8 strings for functions documented to return "a static string"
/// (version, status names). Each distinct text is allocated once per process.
/// </summary>
internal static unsafe class NativeStrings
{
    private static readonly ConcurrentDictionary<string, nint> s_interned = new();

    internal static byte* Intern(string text) =>
        (byte*)s_interned.GetOrAdd(text, static t =>
        {
            int length = Encoding.UTF8.GetByteCount(t);
            byte* p = (byte*)NativeMemory.Alloc((nuint)length + 1);
            Encoding.UTF8.GetBytes(t, new Span<byte>(p, length));
            p[length] = 0;
            return (nint)p;
        });
}
