using System.Text;

namespace SessionInterop.HeaderGen;

/// <summary>Writes the header text: preamble, version macros, types, then one block per section.</summary>
internal static class HeaderWriter
{
    private const int Width = 100;

    internal static string Write(HeaderModel model, string preamble)
    {
        var sb = new StringBuilder();
        sb.Append(preamble.TrimEnd()).Append("\n\n");

        Heading(sb, "ABI version this header describes");
        foreach (var (name, value) in model.Defines) sb.Append($"#define {name} {value}\n");
        sb.Append('\n');

        foreach (CEnum e in model.Enums)
        {
            Comment(sb, e.Summary, "");
            sb.Append($"typedef int32_t {e.TypeName};\nenum {{\n");
            foreach (var (name, value, doc) in e.Members)
            {
                string line = $"    {name} = {(value == 0x7FFFFFFF ? "0x7FFFFFFF" : value.ToString(System.Globalization.CultureInfo.InvariantCulture))},";
                sb.Append(doc is null ? line + "\n" : $"{line.PadRight(40)} /* {doc} */\n");
            }
            sb.Append("};\n\n");
        }

        if (model.OpaqueTypes.Count > 0)
        {
            Heading(sb, "Opaque handle types (never dereference; pass back as given)");
            foreach (string t in model.OpaqueTypes) sb.Append($"typedef struct {t} {t};\n");
            sb.Append('\n');
        }

        // Structs are declared before the callbacks that take them and defined after.
        foreach (CStruct s in model.Structs) sb.Append($"typedef struct {s.Name} {s.Name};\n");
        if (model.Structs.Count > 0) sb.Append('\n');

        foreach (CCallback c in model.Callbacks)
        {
            sb.Append($"typedef {c.ReturnType} (*{c.Name})({c.Params});\n");
        }
        if (model.Callbacks.Count > 0) sb.Append('\n');

        foreach (CStruct s in model.Structs)
        {
            Comment(sb, s.Summary, "");
            sb.Append($"struct {s.Name} {{\n");
            foreach (CParam f in s.Fields)
            {
                Comment(sb, f.Doc, "    ");
                sb.Append($"    {Declare(f.Type, f.Name)};\n");
            }
            sb.Append("};\n\n");
        }

        string? section = null;
        foreach (CFunction f in model.Functions)
        {
            if (f.Section != section)
            {
                section = f.Section;
                Heading(sb, section);
            }
            var doc = new StringBuilder(f.Summary ?? "");
            foreach (CParam p in f.Params.Where(p => p.Doc is not null)) doc.Append($"\n@param {p.Name} {p.Doc}");
            if (f.Returns is not null) doc.Append($"\n@return {f.Returns}");
            Comment(sb, doc.Length > 0 ? doc.ToString() : null, "");
            string parameters = f.Params.Count == 0 ? "void" : string.Join(", ", f.Params.Select(p => Declare(p.Type, p.Name)));
            sb.Append($"SESSION_API {f.ReturnType} {f.Name}({parameters});\n\n");
        }

        sb.Append("#ifdef __cplusplus\n}\n#endif\n\n#endif /* SESSION_H */\n");
        return sb.ToString();
    }

    private static string Declare(string type, string name) =>
        $"{type} {name}";

    private static void Heading(StringBuilder sb, string title) =>
        sb.Append($"/* ---------------------------------------------------------------- {title} */\n\n");

    /// <summary>Writes a /** ... */ block, wrapping each paragraph line at the header width.</summary>
    private static void Comment(StringBuilder sb, string? text, string indent)
    {
        if (text is null) return;
        sb.Append(indent).Append("/**\n");
        foreach (string paragraph in text.Split('\n'))
        {
            var line = new StringBuilder();
            foreach (string word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (line.Length > 0 && indent.Length + 3 + line.Length + 1 + word.Length > Width)
                {
                    sb.Append(indent).Append(" * ").Append(line).Append('\n');
                    line.Clear();
                }
                if (line.Length > 0) line.Append(' ');
                line.Append(word);
            }
            sb.Append(indent).Append(" * ").Append(line).Append('\n');
        }
        sb.Append(indent).Append(" */\n");
    }
}
