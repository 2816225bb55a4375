using System.Reflection;

namespace SessionInterop.HeaderGen;

/// <summary>
/// Maps blittable managed types to C types. Only fixed-width integers, pointers, function pointers
/// (as named callback typedefs) and [CStruct] structs cross the ABI; bool, char, string, arrays and
/// other structs are refused (NativeAOT will reject non-blittable exports).
/// </summary>
internal sealed class CTypeMapper
{
    private static readonly Dictionary<string, string> s_primitives = new()
    {
        ["System.Void"] = "void", ["System.SByte"] = "int8_t", ["System.Byte"] = "uint8_t",
        ["System.Int16"] = "int16_t", ["System.UInt16"] = "uint16_t", ["System.Int32"] = "int32_t",
        ["System.UInt32"] = "uint32_t", ["System.Int64"] = "int64_t", ["System.UInt64"] = "uint64_t",
        ["System.IntPtr"] = "intptr_t", ["System.UIntPtr"] = "size_t", ["System.Single"] = "float",
        ["System.Double"] = "double",
    };

    private static readonly HashSet<string> s_builtin =
        ["void", "char", "int8_t", "uint8_t", "int16_t", "uint16_t", "int32_t", "uint32_t", "int64_t", "uint64_t",
         "intptr_t", "size_t", "float", "double"];

    private readonly HashSet<string> _known = [];
    private readonly Dictionary<string, string> _structs = new();
    private readonly List<string> _opaque = [];
    private readonly List<CCallback> _callbacks = [];

    internal IReadOnlyList<string> OpaqueTypes => _opaque;
    internal IReadOnlyList<CCallback> Callbacks => _callbacks;

    internal void RegisterKnown(string cName) => _known.Add(cName);

    internal void RegisterStruct(string managedFullName, string cName)
    {
        _structs[managedFullName] = cName;
        _known.Add(cName);
    }

    internal string Map(Type type, CustomAttributeData? ctype, string where)
    {
        string natural = Natural(type, ctype, where);
        if (ctype is null) return natural;
        string name = (string)ctype.ConstructorArguments[0].Value!;
        if (type.IsFunctionPointer) return name; // the typedef was registered by Natural
        CheckOverride(type, name, where);
        return name;
    }

    private string Natural(Type type, CustomAttributeData? ctype, string where)
    {
        if (type.IsFunctionPointer) return RegisterCallback(type, ctype, where);
        if (type.IsPointer) return Map(type.GetElementType()!, null, where) + "*";
        if (type.IsByRef || type.IsArray) throw new HeaderGenException($"{where}: {type} is not blittable (use a pointer)");
        if (s_primitives.TryGetValue(type.FullName!, out string? c)) return c;
        if (_structs.TryGetValue(type.FullName!, out string? s)) return s;
        throw new HeaderGenException($"{where}: type {type.FullName} cannot cross the C ABI (bool, char, string, arrays and unmarked structs are refused)");
    }

    /// <summary>
    /// An override may rename a type but never change its size or indirection: "const char*" for
    /// byte*, "session_client*" (opaque) for nint or void*, an enum typedef for int.
    /// </summary>
    private void CheckOverride(Type type, string name, string where)
    {
        string bare = name.Replace("const ", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        int stars = bare.Count(ch => ch == '*');
        string core = bare.TrimEnd('*');
        int managedStars = 0;
        Type element = type;
        while (element.IsPointer) { managedStars++; element = element.GetElementType()!; }
        bool handle = element.FullName is "System.IntPtr" && stars == managedStars + 1;
        if (!handle && stars != managedStars)
            throw new HeaderGenException($"{where}: [CType(\"{name}\")] changes the indirection of {type}");
        if (s_builtin.Contains(core) || _known.Contains(core))
        {
            if (stars == 0 && _known.Contains(core) && element.FullName != "System.Int32")
                throw new HeaderGenException($"{where}: enum typedef {core} needs an int");
            return;
        }
        if (!core.EndsWith("_t", StringComparison.Ordinal) && !core.StartsWith("session_", StringComparison.Ordinal))
            throw new HeaderGenException($"{where}: unknown C type {core}");
        if (!_opaque.Contains(core)) _opaque.Add(core); // an opaque handle type: typedef struct X X;
    }

    private string RegisterCallback(Type type, CustomAttributeData? ctype, string where)
    {
        if (ctype is null) throw new HeaderGenException($"{where}: a function pointer needs [CType(\"name\", Params = \"...\")]");
        string name = (string)ctype.ConstructorArguments[0].Value!;
        string? parameters = ctype.NamedArguments.FirstOrDefault(a => a.MemberName == "Params").TypedValue.Value as string;
        if (parameters is null) throw new HeaderGenException($"{where}: callback {name} needs Params");
        Type[] managed = type.GetFunctionPointerParameterTypes();
        int declared = parameters.Trim() is "void" or "" ? 0 : parameters.Split(',').Length;
        if (declared != managed.Length)
            throw new HeaderGenException($"{where}: callback {name} declares {declared} parameters but the function pointer has {managed.Length}");
        string ret = Map(type.GetFunctionPointerReturnType(), null, where + " callback return");
        var callback = new CCallback(name, ret, declared == 0 ? "void" : parameters);
        CCallback? existing = _callbacks.FirstOrDefault(c => c.Name == name);
        if (existing is null) _callbacks.Add(callback);
        else if (existing != callback) throw new HeaderGenException($"{where}: callback {name} is declared two ways");
        _known.Add(name);
        return name;
    }
}
