namespace SessionInterop.HeaderGen;

/// <summary>Everything the header declares, in the order it is written.</summary>
internal sealed record HeaderModel(
    IReadOnlyList<(string Name, string Value)> Defines,
    IReadOnlyList<string> OpaqueTypes,
    IReadOnlyList<CEnum> Enums,
    IReadOnlyList<CCallback> Callbacks,
    IReadOnlyList<CStruct> Structs,
    IReadOnlyList<CFunction> Functions);

internal sealed record CParam(string Type, string Name, string? Doc);

internal sealed record CFunction(string Section, int SectionOrder, string ReturnType, string Name,
    IReadOnlyList<CParam> Params, string? Summary, string? Returns);

internal sealed record CEnum(string TypeName, IReadOnlyList<(string Name, long Value, string? Doc)> Members, string? Summary);

internal sealed record CCallback(string Name, string ReturnType, string Params);

internal sealed record CStruct(string Name, IReadOnlyList<CParam> Fields, string? Summary);

/// <summary>An export HeaderGen refuses (non-blittable type, stackalloc, missing catch-all, ...).</summary>
internal sealed class HeaderGenException(string message) : Exception(message);
