using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SessionInterop.LocalNet.Community;

/// <summary>The server side of the v4 onion payload (protocol-network.md §5.4): l META [BODY] e in, l RMETA RBODY e out.</summary>
internal static class V4Payload
{
    internal static bool TryDecodeRequest(byte[] data, out CommunityRequest? request)
    {
        request = null;
        if (data.Length < 2 || data[0] != 'l' || data[^1] != 'e') return false;
        int pos = 1;
        if (!TryRead(data, ref pos, out byte[] meta)) return false;
        byte[] body = [];
        if (pos < data.Length - 1 && !TryRead(data, ref pos, out body)) return false;
        if (pos != data.Length - 1) return false;
        try
        {
            if (JsonNode.Parse(meta) is not JsonObject json || json["method"] is not JsonValue method || json["endpoint"] is not JsonValue endpoint)
                return false;
            string ep = endpoint.GetValue<string>();
            if (!ep.StartsWith('/')) return false;
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (json["headers"] is JsonObject h)
                foreach (var (name, value) in h) headers[name] = value?.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value?.ToJsonString() ?? "";
            request = CommunityRequest.FromEndpoint(method.GetValue<string>(), ep, headers, body);
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or UriFormatException)
        {
            return false;
        }
    }

    internal static byte[] EncodeResponse(CommunityReply reply)
    {
        var headers = new JsonObject { ["content-type"] = reply.ContentType };
        foreach (var (name, value) in reply.Headers) headers[name.ToLowerInvariant()] = value;
        var meta = new JsonObject { ["code"] = reply.Status, ["headers"] = headers };
        var output = new MemoryStream();
        output.WriteByte((byte)'l');
        Write(output, Encoding.UTF8.GetBytes(meta.ToJsonString()));
        Write(output, reply.Body);
        output.WriteByte((byte)'e');
        return output.ToArray();
    }

    private static void Write(Stream output, byte[] bytes)
    {
        output.Write(Encoding.ASCII.GetBytes(bytes.Length.ToString(CultureInfo.InvariantCulture) + ":"));
        output.Write(bytes);
    }

    private static bool TryRead(byte[] data, ref int pos, out byte[] value)
    {
        value = [];
        int colon = Array.IndexOf(data, (byte)':', pos);
        if (colon <= pos || colon - pos > 9) return false;
        if (!int.TryParse(Encoding.ASCII.GetString(data, pos, colon - pos), NumberStyles.None, CultureInfo.InvariantCulture, out int length)) return false;
        if (length > data.Length - colon - 1) return false;
        value = data.AsSpan(colon + 1, length).ToArray();
        pos = colon + 1 + length;
        return true;
    }
}
