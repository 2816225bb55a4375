using System.Runtime.InteropServices;
using static SessionInterop.Interop.Tests.LibClang;

namespace SessionInterop.Interop.Tests;

/// <summary>
/// Decides, independently of HeaderGen, whether a C type (as libclang resolved it) can carry a
/// managed parameter type at the ABI: same width, same signedness, same indirection, same callback shape.
/// </summary>
internal static class SignatureMatcher
{
    internal static string? Mismatch(Type managed, TypeShape c, string where)
    {
        if (managed.IsFunctionPointer)
        {
            if (c.Kind != CXTypeKind.Pointer || c.Pointee?.Kind != CXTypeKind.FunctionProto)
                return $"{where}: expected a function pointer, header has {c.Spelling}";
            Type[] args = managed.GetFunctionPointerParameterTypes();
            if (args.Length != c.Pointee.Args!.Count)
                return $"{where}: callback takes {args.Length} parameters, header's {c.Spelling} takes {c.Pointee.Args.Count}";
            for (int i = 0; i < args.Length; i++)
            {
                string? m = Mismatch(args[i], c.Pointee.Args[i], $"{where} callback arg {i}");
                if (m is not null) return m;
            }
            return Mismatch(managed.GetFunctionPointerReturnType(), c.Pointee.Result!, $"{where} callback result");
        }
        if (managed.IsPointer)
        {
            if (c.Kind != CXTypeKind.Pointer) return $"{where}: expected a pointer, header has {c.Spelling}";
            Type element = managed.GetElementType()!;
            if (element == typeof(void)) return null; // void* may be typed as any object pointer in C
            return Mismatch(element, c.Pointee!, where + " (pointee)");
        }
        CXTypeKind[] allowed = managed switch
        {
            _ when managed == typeof(void) => [CXTypeKind.Void],
            _ when managed == typeof(byte) => [CXTypeKind.UChar, CXTypeKind.Char_S, CXTypeKind.Char_U],
            _ when managed == typeof(sbyte) => [CXTypeKind.SChar, CXTypeKind.Char_S],
            _ when managed == typeof(short) => [CXTypeKind.Short],
            _ when managed == typeof(ushort) => [CXTypeKind.UShort],
            _ when managed == typeof(int) => [CXTypeKind.Int],
            _ when managed == typeof(uint) => [CXTypeKind.UInt],
            _ when managed == typeof(long) => [CXTypeKind.Long, CXTypeKind.LongLong],
            _ when managed == typeof(ulong) => [CXTypeKind.ULong, CXTypeKind.ULongLong],
            // An opaque handle is an integer id in C# and a pointer to an incomplete struct in C.
            _ when managed == typeof(nint) => [CXTypeKind.Long, CXTypeKind.Pointer],
            _ when managed == typeof(nuint) => [CXTypeKind.ULong],
            _ when managed == typeof(float) => [CXTypeKind.Float],
            _ when managed == typeof(double) => [CXTypeKind.Double],
            _ when managed.IsValueType && !managed.IsPrimitive => [CXTypeKind.Record],
            _ => [],
        };
        if (!allowed.Contains(c.Kind)) return $"{where}: managed {managed.Name} cannot be carried by C {c.Spelling} ({c.Kind})";
        if (c.Kind == CXTypeKind.Record && Marshal.SizeOf(managed) != c.Size)
            return $"{where}: struct {managed.Name} is {Marshal.SizeOf(managed)} bytes, C {c.Spelling} is {c.Size}";
        if (c.Kind == CXTypeKind.Pointer && c.Pointee!.Kind != CXTypeKind.Record)
            return $"{where}: handle must point to an opaque struct, header has {c.Spelling}";
        return null;
    }
}
