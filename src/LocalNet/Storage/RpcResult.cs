using System.Text.Json.Nodes;

namespace SessionInterop.LocalNet.Storage;

// The outcome of one storage RPC: an HTTP-like status and either a JSON body or a plain-text body.
internal sealed record RpcResult(int Status, JsonNode? Json, string? Text)
{
    internal static RpcResult Ok(JsonNode json) => new(200, json, null);
    internal static RpcResult Error(int status, string text) => new(status, null, text);

    internal bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>The body as text: JSON serialised compactly, or the plain text.</summary>
    internal string BodyText => Json?.ToJsonString() ?? Text ?? "";

    /// <summary>The body as a JSON value for batch results and "json":true envelopes.</summary>
    internal JsonNode? BodyNode => Json is null ? JsonValue.Create(Text ?? "") : Json.DeepClone();
}

/// <summary>A parameter error: answered 400 "invalid request: &lt;message&gt;".</summary>
internal sealed class RpcParseException(string message) : Exception(message);
