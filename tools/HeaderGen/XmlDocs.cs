using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace SessionInterop.HeaderGen;

/// <summary>Looks up &lt;summary&gt;, &lt;param&gt; and &lt;returns&gt; text in the compiler's XML doc files.</summary>
internal sealed partial class XmlDocs
{
    private readonly Dictionary<string, XElement> _members = new(StringComparer.Ordinal);

    internal void Load(string xmlPath)
    {
        if (!File.Exists(xmlPath)) return;
        foreach (XElement member in XDocument.Load(xmlPath).Descendants("member"))
        {
            string? name = member.Attribute("name")?.Value;
            if (name is not null) _members[name] = member;
        }
    }

    /// <summary>Finds a member by its doc id; for methods the id is matched up to the parameter list.</summary>
    internal XElement? Find(string idWithoutParams)
    {
        if (_members.TryGetValue(idWithoutParams, out XElement? exact)) return exact;
        string prefix = idWithoutParams + "(";
        return _members.FirstOrDefault(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).Value;
    }

    internal static string? Text(XElement? element)
    {
        if (element is null) return null;
        // <see cref="T:Foo.Bar"/> → Bar; <c>x</c> → x.
        string text = string.Concat(element.Nodes().Select(n => n switch
        {
            XElement { Name.LocalName: "see" } see => see.Attribute("cref")?.Value.Split('.').Last()
                                                      ?? see.Attribute("langword")?.Value ?? "",
            XElement e => e.Value,
            _ => n.ToString(),
        }));
        text = System.Net.WebUtility.HtmlDecode(Whitespace().Replace(text, " ").Trim());
        return text.Length == 0 ? null : text;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
