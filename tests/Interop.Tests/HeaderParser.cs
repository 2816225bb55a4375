using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using static SessionInterop.Interop.Tests.LibClang;

namespace SessionInterop.Interop.Tests;

/// <summary>A C type as libclang resolves it (typedefs stripped), kept after the parse is disposed.</summary>
internal sealed record TypeShape(CXTypeKind Kind, long Size, string Spelling, TypeShape? Pointee = null,
    TypeShape? Result = null, IReadOnlyList<TypeShape>? Args = null);

internal sealed record FunctionDecl(string Name, TypeShape Result, IReadOnlyList<(string Name, TypeShape Type)> Params);

/// <summary>Parses a header with libclang and returns every function it declares (its own, not system headers').</summary>
internal static unsafe class HeaderParser
{
    internal static IReadOnlyList<FunctionDecl> Parse(string headerPath, string language = "c")
    {
        nint index = clang_createIndex(0, 0);
        var args = new[] { "-x", language, language == "c" ? "-std=c99" : "-std=c++17" };
        var handles = args.Select(a => Marshal.StringToCoTaskMemUTF8(a)).ToArray();
        nint path = Marshal.StringToCoTaskMemUTF8(headerPath);
        try
        {
            nint tu;
            fixed (nint* argv = handles)
                tu = clang_parseTranslationUnit(index, (byte*)path, (byte**)argv, args.Length, null, 0, 0);
            if (tu == 0) throw new InvalidOperationException($"libclang could not parse {headerPath}");
            try
            {
                var errors = new StringBuilder();
                for (uint i = 0; i < clang_getNumDiagnostics(tu); i++)
                {
                    nint d = clang_getDiagnostic(tu, i);
                    if (clang_getDiagnosticSeverity(d) >= 3) errors.AppendLine(Text(clang_getDiagnosticSpelling(d)));
                    clang_disposeDiagnostic(d);
                }
                if (errors.Length > 0) throw new InvalidOperationException($"libclang errors in {headerPath}:\n{errors}");

                var found = new List<FunctionDecl>();
                GCHandle box = GCHandle.Alloc(found);
                try { clang_visitChildren(clang_getTranslationUnitCursor(tu), &Visit, (void*)GCHandle.ToIntPtr(box)); }
                finally { box.Free(); }
                return found;
            }
            finally { clang_disposeTranslationUnit(tu); }
        }
        finally
        {
            foreach (nint h in handles) Marshal.FreeCoTaskMem(h);
            Marshal.FreeCoTaskMem(path);
            clang_disposeIndex(index);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Visit(CXCursor cursor, CXCursor parent, void* client)
    {
        if (cursor.kind != CXCursor_FunctionDecl || clang_Location_isFromMainFile(clang_getCursorLocation(cursor)) == 0)
            return CXChildVisit_Continue;
        var found = (List<FunctionDecl>)GCHandle.FromIntPtr((nint)client).Target!;
        var parameters = new List<(string, TypeShape)>();
        int count = clang_Cursor_getNumArguments(cursor);
        for (uint i = 0; i < count; i++)
        {
            CXCursor arg = clang_Cursor_getArgument(cursor, i);
            parameters.Add((Text(clang_getCursorSpelling(arg)), Describe(clang_getCursorType(arg))));
        }
        found.Add(new FunctionDecl(Text(clang_getCursorSpelling(cursor)), Describe(clang_getCursorResultType(cursor)), parameters));
        return CXChildVisit_Continue;
    }

    private static TypeShape Describe(CXType type)
    {
        CXType t = clang_getCanonicalType(type);
        string spelling = Text(clang_getTypeSpelling(type));
        return t.kind switch
        {
            CXTypeKind.Pointer => new TypeShape(t.kind, 8, spelling, Pointee: Describe(clang_getPointeeType(t))),
            CXTypeKind.FunctionProto => new TypeShape(t.kind, 0, spelling,
                Result: Describe(clang_getResultType(t)),
                Args: Enumerable.Range(0, clang_getNumArgTypes(t)).Select(i => Describe(clang_getArgType(t, (uint)i))).ToList()),
            _ => new TypeShape(t.kind, clang_Type_getSizeOf(t), spelling),
        };
    }
}
