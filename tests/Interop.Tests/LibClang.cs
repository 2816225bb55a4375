using System.Runtime.InteropServices;

namespace SessionInterop.Interop.Tests;

/// <summary>
/// A small binding to Debian's libclang-14 (package libclang1-14): the part of ClangSharp's job we
/// need, parsing session.h and reading each function's canonical types. ClangSharp itself is not
/// served by the package registry here.
/// </summary>
internal static unsafe partial class LibClang
{
    private const string Lib = "libclang-14.so.1";

    internal enum CXTypeKind
    {
        Void = 2, Bool = 3, Char_U = 4, UChar = 5, UShort = 8, UInt = 9, ULong = 10, ULongLong = 11,
        Char_S = 13, SChar = 14, Short = 16, Int = 17, Long = 18, LongLong = 19, Float = 21, Double = 22,
        Pointer = 101, Record = 105, Enum = 106, Typedef = 107, FunctionProto = 111, Elaborated = 119,
    }

    internal const int CXCursor_FunctionDecl = 8;
    internal const int CXCursor_StructDecl = 2;
    internal const int CXChildVisit_Continue = 1;

    [StructLayout(LayoutKind.Sequential)]
    internal struct CXCursor { public int kind; public int xdata; public nint data0, data1, data2; }

    [StructLayout(LayoutKind.Sequential)]
    internal struct CXType { public CXTypeKind kind; public nint data0, data1; }

    [StructLayout(LayoutKind.Sequential)]
    internal struct CXString { public nint data; public uint flags; }

    [StructLayout(LayoutKind.Sequential)]
    internal struct CXSourceLocation { public nint ptr0, ptr1; public uint intData; }

    [LibraryImport(Lib)] internal static partial nint clang_createIndex(int excludeDeclarationsFromPch, int displayDiagnostics);
    [LibraryImport(Lib)] internal static partial void clang_disposeIndex(nint index);
    [LibraryImport(Lib)] internal static partial nint clang_parseTranslationUnit(nint index, byte* sourceFilename, byte** args, int numArgs, void* unsavedFiles, uint numUnsaved, uint options);
    [LibraryImport(Lib)] internal static partial void clang_disposeTranslationUnit(nint tu);
    [LibraryImport(Lib)] internal static partial uint clang_getNumDiagnostics(nint tu);
    [LibraryImport(Lib)] internal static partial nint clang_getDiagnostic(nint tu, uint index);
    [LibraryImport(Lib)] internal static partial int clang_getDiagnosticSeverity(nint diagnostic);
    [LibraryImport(Lib)] internal static partial CXString clang_getDiagnosticSpelling(nint diagnostic);
    [LibraryImport(Lib)] internal static partial void clang_disposeDiagnostic(nint diagnostic);
    [LibraryImport(Lib)] internal static partial CXCursor clang_getTranslationUnitCursor(nint tu);
    [LibraryImport(Lib)] internal static partial uint clang_visitChildren(CXCursor parent, delegate* unmanaged[Cdecl]<CXCursor, CXCursor, void*, int> visitor, void* clientData);
    [LibraryImport(Lib)] internal static partial CXString clang_getCursorSpelling(CXCursor cursor);
    [LibraryImport(Lib)] internal static partial CXSourceLocation clang_getCursorLocation(CXCursor cursor);
    [LibraryImport(Lib)] internal static partial int clang_Location_isFromMainFile(CXSourceLocation location);
    [LibraryImport(Lib)] internal static partial CXType clang_getCursorResultType(CXCursor cursor);
    [LibraryImport(Lib)] internal static partial CXType clang_getCursorType(CXCursor cursor);
    [LibraryImport(Lib)] internal static partial int clang_Cursor_getNumArguments(CXCursor cursor);
    [LibraryImport(Lib)] internal static partial CXCursor clang_Cursor_getArgument(CXCursor cursor, uint index);
    [LibraryImport(Lib)] internal static partial CXType clang_getCanonicalType(CXType type);
    [LibraryImport(Lib)] internal static partial CXType clang_getPointeeType(CXType type);
    [LibraryImport(Lib)] internal static partial CXType clang_getResultType(CXType type);
    [LibraryImport(Lib)] internal static partial int clang_getNumArgTypes(CXType type);
    [LibraryImport(Lib)] internal static partial CXType clang_getArgType(CXType type, uint index);
    [LibraryImport(Lib)] internal static partial CXString clang_getTypeSpelling(CXType type);
    [LibraryImport(Lib)] internal static partial long clang_Type_getSizeOf(CXType type);
    [LibraryImport(Lib)] internal static partial long clang_Type_getOffsetOf(CXType type, byte* field);
    [LibraryImport(Lib)] internal static partial byte* clang_getCString(CXString text);
    [LibraryImport(Lib)] internal static partial void clang_disposeString(CXString text);

    internal static string Text(CXString s)
    {
        try { return Marshal.PtrToStringUTF8((nint)clang_getCString(s)) ?? ""; }
        finally { clang_disposeString(s); }
    }
}
