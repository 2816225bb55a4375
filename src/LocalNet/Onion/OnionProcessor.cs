using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SessionInterop.Crypto.Onion;
using SessionInterop.LocalNet.Hosting;
using SessionInterop.LocalNet.Storage;
using SessionInterop.LocalNet.Topology;
using SessionInterop.Network.Onion;

namespace SessionInterop.LocalNet.Onion;

// What one node does with an onion request (§5.6): parse the frame, peel its layer, then either
// relay to the next node, proxy to a server, or run the storage RPC as the final destination and
// answer with the encrypted, double-encoded {"status","body"} envelope. Error statuses and bodies
// are those of §5.8.
internal sealed class OnionProcessor(LocalNetState state, LocalNode node, StorageRpc rpc, HttpClient http)
{
    internal const int MaxHops = 15;

    private readonly ILogger _log = state.LoggerFactory.CreateLogger("LocalNet.Onion");

    internal async Task<OnionResponse> ProcessAsync(byte[] body, CancellationToken ct)
    {
        // 1. Outer frame and routing JSON of this hop.
        if (!OnionFrame.TryParse(body, out ReadOnlyMemory<byte> blob, out ReadOnlyMemory<byte> outerJson))
            return OnionResponse.Text(400, "Error parsing onion request: invalid onion request frame");
        if (!TryParseHopJson(outerJson, out byte[] ephemeralKey, out OnionCipher encType, out int hopNo, out string? error))
            return OnionResponse.Text(400, "Error parsing onion request: " + error);
        if (hopNo > MaxHops)
            return OnionResponse.Text(400, "onion request max path length exceeded");

        // 2. Peel this layer.
        byte[] key = OnionLayerCipher.DeriveKey(encType, node.X25519Secret, ephemeralKey, ephemeralKey, node.X25519Public);
        if (!OnionLayerCipher.TryDecrypt(encType, key, blob.Span, out byte[] plaintext))
        {
            LogMessages.OnionHop(_log, node.Index, hopNo, "invalid ciphertext");
            return OnionResponse.Text(400, "Invalid ciphertext");
        }

        // 3. Classify by the inner JSON.
        if (!OnionFrame.TryParse(plaintext, out ReadOnlyMemory<byte> inner, out ReadOnlyMemory<byte> innerJsonBytes)
            || !TryParseObject(innerJsonBytes, out JsonObject innerJson))
            return Envelope(encType, key, 400, JsonValue.Create("Invalid json"), base64: true);

        if (innerJson.ContainsKey("headers"))
            return FinalDestination(encType, key, inner, innerJson);
        if (innerJson.ContainsKey("host"))
            return await RelayToServerAsync(encType, key, plaintext, innerJson, ct);
        return await RelayToNodeAsync(encType, key, inner, innerJson, hopNo, ct);
    }

    private OnionResponse FinalDestination(OnionCipher encType, byte[] key, ReadOnlyMemory<byte> rpcBody, JsonObject control)
    {
        // "json" and "base64" are optional booleans; anything else is a JSON error, as upstream.
        if (!TryGetFlag(control, "json", false, out bool asJson) || !TryGetFlag(control, "base64", true, out bool base64))
            return Envelope(encType, key, 400, JsonValue.Create("Invalid json"), base64: true);
        if (node.Faults.Unavailable)
            return Envelope(encType, key, 503, JsonValue.Create("Snode not ready"), base64);

        RpcResult result = rpc.Handle(rpcBody);
        JsonNode? bodyNode = asJson && result.Json is not null ? result.Json : JsonValue.Create(result.BodyText);
        LogMessages.OnionHop(_log, node.Index, -1, $"destination status {result.Status}");
        return Envelope(encType, key, result.Status, bodyNode, base64);
    }

    private async Task<OnionResponse> RelayToNodeAsync(OnionCipher encType, byte[] key, ReadOnlyMemory<byte> inner,
        JsonObject json, int hopNo, CancellationToken ct)
    {
        if (!TryGetString(json, "destination", out string destination) || !TryGetString(json, "ephemeral_key", out string nextKey)
            || !RpcParams.IsHex(destination, 64) || !RpcParams.IsHex(nextKey, 64))
            return Envelope(encType, key, 400, JsonValue.Create("Invalid json"), base64: true);
        destination = destination.ToLowerInvariant();
        OnionCipher nextType = encType;
        if (json["enc_type"] is JsonNode et && (et.GetValueKind() != JsonValueKind.String || !OnionCiphers.TryParse(et.GetValue<string>(), out nextType)))
            return Envelope(encType, key, 400, JsonValue.Create("Invalid json"), base64: true);

        LocalNode? next = state.Swarms.FindByEd25519(destination);
        if (next is null || !next.IsActive)
            return OnionResponse.Text(502, "Next node not found: " + destination);
        if (next.Faults.Crashed)
        {
            // Still registered, but nothing answers: the relay keeps trying until its timeout.
            await Task.Delay(state.RelayTimeout, ct);
            LogMessages.RelayFailed(_log, node.Index, next.Ed25519Hex, "timeout (crashed)");
            return OnionResponse.Text(504, "Request time out");
        }
        if (next.Faults.Unavailable)
            return OnionResponse.Text(503, "Snode not ready: " + next.Ed25519Hex);

        var hopJson = new JsonObject
        {
            ["ephemeral_key"] = nextKey,
            ["enc_type"] = nextType.ToWireName(),
            ["hop_no"] = hopNo + 1,
        };
        byte[] forwarded = OnionFrame.Build(inner.Span, Encoding.UTF8.GetBytes(hopJson.ToJsonString()));
        if (node.Faults.CorruptRelays && inner.Length > 0)
            forwarded[4 + inner.Length / 2] ^= 0xff; // fault switch: the next hop cannot decrypt

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(state.RelayTimeout);
        try
        {
            using var content = new ByteArrayContent(forwarded);
            using HttpResponseMessage response = await http.PostAsync(new Uri(next.ToInfo().BaseUrl, "/onion_req/v2"), content, timeout.Token);
            byte[] responseBody = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            string contentType = response.Content.Headers.ContentType?.ToString() ?? "text/plain";
            LogMessages.OnionHop(_log, node.Index, hopNo, $"relayed to node {next.Index}: {(int)response.StatusCode}");
            return new OnionResponse((int)response.StatusCode, contentType, responseBody);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            LogMessages.RelayFailed(_log, node.Index, next.Ed25519Hex, "timeout");
            return OnionResponse.Text(504, "Request time out");
        }
        catch (HttpRequestException e)
        {
            LogMessages.RelayFailed(_log, node.Index, next.Ed25519Hex, e.Message);
            return OnionResponse.Text(502, "Next node is currently unreachable: " + next.Ed25519Hex);
        }
    }

    private async Task<OnionResponse> RelayToServerAsync(OnionCipher encType, byte[] key, byte[] plaintext, JsonObject json, CancellationToken ct)
    {
        string protocol = "https";
        if (json["protocol"] is JsonNode pn)
            protocol = pn.GetValueKind() == JsonValueKind.String ? pn.GetValue<string>() : "";
        int port = 443;
        if (json["port"] is JsonNode portNode && (portNode.GetValueKind() != JsonValueKind.Number || !portNode.AsValue().TryGetValue(out port)))
            return Envelope(encType, key, 400, JsonValue.Create("Invalid json"), base64: true);
        if (!TryGetString(json, "host", out string host) || !TryGetString(json, "target", out string target))
            return Envelope(encType, key, 400, JsonValue.Create("Invalid json"), base64: true);
        if (!IsAllowedTarget(protocol, target))
            return Envelope(encType, key, 400, JsonValue.Create("Invalid url"), base64: true);

        bool defaultPort = (protocol == "http" && port == 80) || (protocol == "https" && port == 443);
        string url = $"{protocol}://{host}{(defaultPort ? "" : ":" + port.ToString(CultureInfo.InvariantCulture))}{target}";
        if (!LoopbackHttpClient.IsLoopbackHost(host))
            return OnionResponse.Text(502, $"Failed to connect to {host}: LocalNet exit nodes only reach loopback servers");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(state.Options.ServerTimeout);
        try
        {
            using var content = new ByteArrayContent(plaintext);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url)) { Content = content };
            request.Headers.TryAddWithoutValidation("User-Agent", $"Oxen Storage Server/{string.Join('.', LocalNetState.Version)}");
            using HttpResponseMessage response = await http.SendAsync(request, timeout.Token);
            byte[] responseBody = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            string contentType = response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream";
            return new OnionResponse((int)response.StatusCode, contentType, responseBody);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return OnionResponse.Text(504, $"Request to {url} timed out");
        }
        catch (HttpRequestException e)
        {
            return OnionResponse.Text(502, e.Message);
        }
    }

    /// <summary>The exit's URL filter (§5.6 step 5): http(s), /loki/… or /oxen/…, ending in /lsrpc, no query.</summary>
    internal static bool IsAllowedTarget(string protocol, string target) =>
        protocol is "http" or "https"
        && (target.StartsWith("/loki/", StringComparison.Ordinal) || target.StartsWith("/oxen/", StringComparison.Ordinal))
        && target.EndsWith("/lsrpc", StringComparison.Ordinal)
        && !target.Contains('?', StringComparison.Ordinal);

    /// <summary>Encrypts {"status":N,"body":…} with this layer's key; base64 text unless the client asked for raw bytes.</summary>
    private static OnionResponse Envelope(OnionCipher encType, byte[] key, int status, JsonNode? body, bool base64)
    {
        var envelope = new JsonObject { ["status"] = status, ["body"] = body };
        byte[] ciphertext = OnionLayerCipher.Encrypt(encType, key, Encoding.UTF8.GetBytes(envelope.ToJsonString()));
        return base64
            ? new OnionResponse(200, "text/plain", Encoding.ASCII.GetBytes(Convert.ToBase64String(ciphertext)))
            : new OnionResponse(200, "application/octet-stream", ciphertext);
    }

    private static bool TryParseHopJson(ReadOnlyMemory<byte> jsonBytes, out byte[] ephemeralKey, out OnionCipher encType, out int hopNo, out string? error)
    {
        ephemeralKey = [];
        encType = OnionCipher.AesGcm;
        hopNo = 0;
        if (!TryParseObject(jsonBytes, out JsonObject json))
        {
            error = "invalid json";
            return false;
        }
        if (!TryGetString(json, "ephemeral_key", out string keyHex) || !RpcParams.IsHex(keyHex, 64))
        {
            error = "missing or invalid ephemeral_key";
            return false;
        }
        ephemeralKey = Convert.FromHexString(keyHex);
        if (json["enc_type"] is JsonNode et && (et.GetValueKind() != JsonValueKind.String || !OnionCiphers.TryParse(et.GetValue<string>(), out encType)))
        {
            error = "invalid enc_type";
            return false;
        }
        if (json["hop_no"] is JsonNode hn)
        {
            if (hn.GetValueKind() != JsonValueKind.Number || !hn.AsValue().TryGetValue(out hopNo))
            {
                error = "invalid hop_no";
                return false;
            }
            hopNo = Math.Max(0, hopNo); // a negative start is clamped, as upstream
        }
        error = null;
        return true;
    }

    private static bool TryParseObject(ReadOnlyMemory<byte> bytes, out JsonObject json)
    {
        json = null!;
        try
        {
            if (JsonNode.Parse(bytes.Span) is not JsonObject obj) return false;
            json = obj;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TryGetFlag(JsonObject json, string name, bool fallback, out bool value)
    {
        value = fallback;
        if (!json.ContainsKey(name)) return true;
        JsonValueKind kind = json[name]?.GetValueKind() ?? JsonValueKind.Null;
        if (kind is not (JsonValueKind.True or JsonValueKind.False)) return false;
        value = kind == JsonValueKind.True;
        return true;
    }

    private static bool TryGetString(JsonObject json, string name, out string value)
    {
        value = "";
        if (json[name] is not JsonValue v || v.GetValueKind() != JsonValueKind.String) return false;
        value = v.GetValue<string>();
        return true;
    }
}
