using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SessionInterop.Network.Client;

// The v4 onion payload for server destinations (protocol-network.md §5.4): a bencoded list of one
// or two byte strings, "l" len ":" META [len ":" BODY] "e", META being compact JSON.
internal static class V4Codec
{
    public static byte[] EncodeRequest(ServerRequest request)
    {
        if (!request.Endpoint.StartsWith('/'))
            throw Errors.InvalidArgument("network.bad_endpoint", "v4 endpoint must start with '/'");

        var meta = new MemoryStream();
        using (var w = new Utf8JsonWriter(meta))
        {
            w.WriteStartObject();
            w.WriteString("method", request.Method);
            w.WriteString("endpoint", request.Endpoint);
            w.WriteStartObject("headers");
            bool hasContentType = false;
            if (request.Headers is not null)
            {
                foreach (var (name, value) in request.Headers)
                {
                    hasContentType |= name.Equals("content-type", StringComparison.OrdinalIgnoreCase);
                    w.WriteString(name, value);
                }
            }
            // No default content type exists in v4; like libsession, label JSON bodies.
            if (request.Body is not null && !hasContentType)
                w.WriteString("Content-Type", "application/json");
            w.WriteEndObject();
            w.WriteEndObject();
        }

        var output = new MemoryStream();
        output.WriteByte((byte)'l');
        WriteString(output, meta.GetBuffer().AsSpan(0, (int)meta.Length));
        if (request.Body is { } body)
            WriteString(output, body.Span);
        output.WriteByte((byte)'e');
        return output.ToArray();
    }

    /// <summary>Decodes <c>l len:META len:BODY e</c>; null when malformed.</summary>
    public static ServerResponse? DecodeResponse(ReadOnlySpan<byte> data)
    {
        if (data.Length < 2 || data[0] != (byte)'l' || data[^1] != (byte)'e')
            return null;
        int pos = 1;
        if (!TryReadString(data, ref pos, out ReadOnlySpan<byte> meta))
            return null;
        byte[] body = [];
        if (pos < data.Length - 1)
        {
            if (!TryReadString(data, ref pos, out ReadOnlySpan<byte> b))
                return null;
            body = b.ToArray();
        }
        if (pos != data.Length - 1)
            return null;

        try
        {
            using JsonDocument doc = JsonDocument.Parse(meta.ToArray());
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("code", out JsonElement code) || !code.TryGetInt32(out int status))
                return null;
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (root.TryGetProperty("headers", out JsonElement h) && h.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty p in h.EnumerateObject())
                    headers[p.Name.ToLowerInvariant()] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
            }
            return new ServerResponse(status, headers, body);
        }
        catch (Exception e) when (OnionResponseReader.IsMalformedJson(e))
        {
            return null;
        }
    }

    private static void WriteString(Stream output, ReadOnlySpan<byte> bytes)
    {
        output.Write(Encoding.ASCII.GetBytes(bytes.Length.ToString(CultureInfo.InvariantCulture)));
        output.WriteByte((byte)':');
        output.Write(bytes);
    }

    private static bool TryReadString(ReadOnlySpan<byte> data, ref int pos, out ReadOnlySpan<byte> value)
    {
        value = default;
        int colon = data[pos..].IndexOf((byte)':');
        if (colon <= 0 || colon > 9)
            return false;
        int length = 0;
        foreach (byte digit in data.Slice(pos, colon))
        {
            if (digit is < (byte)'0' or > (byte)'9')
                return false;
            length = length * 10 + (digit - '0');
        }
        int start = pos + colon + 1;
        if (length > data.Length - start)
            return false;
        value = data.Slice(start, length);
        pos = start + length;
        return true;
    }
}
