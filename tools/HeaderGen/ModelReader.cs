using System.Reflection;
using System.Runtime.InteropServices;

namespace SessionInterop.HeaderGen;

/// <summary>
/// Reads the NativeExports assembly with MetadataLoadContext (nothing is executed) and builds the
/// header model: every [UnmanagedCallersOnly(EntryPoint=...)] method, every [CEnum] enum and
/// [CStruct] struct in it or the assemblies beside it, the callback typedefs and opaque handle types
/// its [CType] overrides name, and the ABI version constants of LibraryInfo.
/// </summary>
internal static class ModelReader
{
    internal static HeaderModel Read(string assemblyPath)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(assemblyPath))!;
        string runtimeDirectory = RuntimeEnvironment.GetRuntimeDirectory();
        var paths = Directory.GetFiles(runtimeDirectory, "*.dll").Concat(Directory.GetFiles(directory, "*.dll"))
            .GroupBy(Path.GetFileName).Select(g => g.Last());
        using var context = new MetadataLoadContext(new PathAssemblyResolver(paths));
        Assembly exports = context.LoadFromAssemblyPath(Path.GetFullPath(assemblyPath));
        List<Assembly> ours = [exports, .. exports.GetReferencedAssemblies()
            .Where(n => n.Name!.StartsWith("SessionInterop", StringComparison.Ordinal))
            .Select(context.LoadFromAssemblyName)];

        var docs = new XmlDocs();
        foreach (Assembly a in ours) docs.Load(Path.ChangeExtension(a.Location, ".xml"));

        var mapper = new CTypeMapper();
        var enums = new List<CEnum>();
        var structs = new List<CStruct>();
        var defines = new List<(string, string)>();
        foreach (Type type in ours.SelectMany(a => a.GetTypes()).OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            if (Attr(type, "CEnumAttribute") is { } cenum) enums.Add(ReadEnum(type, cenum, docs, mapper));
            if (type.Name == "LibraryInfo")
            {
                foreach (string field in new[] { "AbiMajor", "AbiMinor" })
                {
                    object value = type.GetField(field)!.GetRawConstantValue()!;
                    defines.Add(($"SESSION_ABI_{field[3..].ToUpperInvariant()}", $"{value}u"));
                }
            }
        }
        foreach (Type type in ours.SelectMany(a => a.GetTypes()).Where(t => Attr(t, "CStructAttribute") is not null)
                                  .OrderBy(t => t.MetadataToken))
        {
            structs.Add(ReadStruct(type, docs, mapper));
        }

        var functions = new List<CFunction>();
        var problems = new List<string>();
        foreach (Type type in exports.GetTypes())
        {
            var section = Attr(type, "CSectionAttribute");
            foreach (MethodInfo method in type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
                                              .OrderBy(m => m.MetadataToken))
            {
                var uco = Attr(method, "UnmanagedCallersOnlyAttribute");
                string? entry = uco?.NamedArguments.FirstOrDefault(a => a.MemberName == "EntryPoint").TypedValue.Value as string;
                if (uco is null || entry is null) continue;
                // Report every bad export in one run, not just the first.
                try
                {
                    if (section is null) throw new HeaderGenException($"{type.Name} has exports but no [CSection]");
                    IlLint.Check(method, entry);
                    functions.Add(ReadFunction(method, entry, section, docs, mapper));
                }
                catch (HeaderGenException e)
                {
                    problems.Add(e.Message);
                }
            }
        }
        if (problems.Count > 0) throw new HeaderGenException(string.Join("\n", problems));
        if (functions.Count == 0) throw new HeaderGenException("no exports found");
        var duplicate = functions.GroupBy(f => f.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new HeaderGenException($"export {duplicate.Key} is defined twice");

        return new HeaderModel(defines, mapper.OpaqueTypes, enums, mapper.Callbacks, structs,
            functions.OrderBy(f => f.SectionOrder).ToList());
    }

    private static CFunction ReadFunction(MethodInfo method, string entry, CustomAttributeData section, XmlDocs docs, CTypeMapper mapper)
    {
        string where = $"{method.DeclaringType!.Name}.{method.Name} ({entry})";
        var doc = docs.Find($"M:{method.DeclaringType.FullName}.{method.Name}");
        string ret = mapper.Map(method.ReturnType, Attr(method.ReturnParameter, "CTypeAttribute"), where + " return");
        var parameters = method.GetParameters().Select(p => new CParam(
            mapper.Map(p.ParameterType, Attr(p, "CTypeAttribute"), $"{where} parameter {p.Name}"),
            p.Name!,
            XmlDocs.Text(doc?.Elements("param").FirstOrDefault(e => e.Attribute("name")?.Value == p.Name)))).ToList();
        return new CFunction((string)section.ConstructorArguments[1].Value!, (int)section.ConstructorArguments[0].Value!,
            ret, entry, parameters, XmlDocs.Text(doc?.Element("summary")), XmlDocs.Text(doc?.Element("returns")));
    }

    private static CEnum ReadEnum(Type type, CustomAttributeData attribute, XmlDocs docs, CTypeMapper mapper)
    {
        string typeName = (string)attribute.ConstructorArguments[0].Value!;
        string prefix = (string)attribute.ConstructorArguments[1].Value!;
        if (Enum.GetUnderlyingType(type).FullName != "System.Int32")
            throw new HeaderGenException($"[CEnum] {type.Name} must have an int underlying type");
        var members = type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (prefix + UpperSnake(f.Name), Convert.ToInt64(f.GetRawConstantValue()),
                          XmlDocs.Text(docs.Find($"F:{type.FullName}.{f.Name}")?.Element("summary"))))
            .OrderBy(m => m.Item2).ToList();
        members.Add((typeName.ToUpperInvariant() + "_FORCE32", 0x7FFFFFFF, null));
        mapper.RegisterKnown(typeName);
        return new CEnum(typeName, members, XmlDocs.Text(docs.Find($"T:{type.FullName}")?.Element("summary")));
    }

    private static CStruct ReadStruct(Type type, XmlDocs docs, CTypeMapper mapper)
    {
        if (!type.IsLayoutSequential) throw new HeaderGenException($"[CStruct] {type.Name} must be sequential");
        string name = (string)Attr(type, "CStructAttribute")!.ConstructorArguments[0].Value!;
        mapper.RegisterStruct(type.FullName!, name);
        var fields = type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .OrderBy(f => f.MetadataToken)
            .Select(f => new CParam(mapper.Map(f.FieldType, Attr(f, "CTypeAttribute"), $"{type.Name}.{f.Name}"),
                                    f.Name, XmlDocs.Text(docs.Find($"F:{type.FullName}.{f.Name}")?.Element("summary"))))
            .ToList();
        return new CStruct(name, fields, XmlDocs.Text(docs.Find($"T:{type.FullName}")?.Element("summary")));
    }

    /// <summary>"EInvalidArgument" → "E_INVALID_ARGUMENT" (the same rule the library uses for status names).</summary>
    internal static string UpperSnake(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : char.ToUpperInvariant(c).ToString()));

    internal static CustomAttributeData? Attr(MemberInfo member, string name) =>
        member.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.Name == name);

    internal static CustomAttributeData? Attr(ParameterInfo parameter, string name) =>
        parameter.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.Name == name);
}
