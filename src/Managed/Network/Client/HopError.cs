namespace SessionInterop.Network.Client;

/// <summary>What a non-200 HTTP reply from the guard means (protocol-network.md §5.8).</summary>
internal enum HopErrorKind
{
    /// <summary>The guard could not parse our frame: a client bug, do not retry blindly.</summary>
    BadRequest,
    /// <summary>Some hop failed to decrypt its layer (stale keys or corrupted path).</summary>
    InvalidCiphertext,
    /// <summary>More than 15 hops.</summary>
    PathTooLong,
    /// <summary>A next hop returned garbage (500).</summary>
    InvalidHopResponse,
    /// <summary>A hop does not know / cannot reach the named node (502 with an Ed25519 key).</summary>
    NodeNotFound,
    /// <summary>The exit could not reach the server (502 with transport text).</summary>
    ServerUnreachable,
    /// <summary>The guard itself is not ready or overloaded (503).</summary>
    GuardNotReady,
    /// <summary>A later hop is not ready (503 naming it).</summary>
    SnodeNotReady,
    /// <summary>A next hop stayed silent for 30 s (504 "Request time out").</summary>
    PathTimeout,
    /// <summary>The server stayed silent (504 with transport text).</summary>
    ServerTimeout,
    /// <summary>406/425: our clock is out of sync.</summary>
    ClockOutOfSync,
    /// <summary>Anything else.</summary>
    Other,
}

/// <summary>A classified hop error; <see cref="NodeEd25519Hex"/> names the blamed node when the body does.</summary>
internal sealed record HopError(HopErrorKind Kind, int HttpStatus, string? NodeEd25519Hex, string Body)
{
    /// <summary>
    /// For a server destination: a reply no hop writes (none of the §5.8 texts), so the exit relayed
    /// the server's own answer. Hops only ever answer 400 with "Invalid ciphertext" or a path-length
    /// text, 500 with their relay error, and 503s with their own texts.
    /// </summary>
    public bool IsRelayedFromServer => Kind is HopErrorKind.BadRequest or HopErrorKind.Other
        || (Kind is HopErrorKind.GuardNotReady && !HopErrorClassifier.IsNodeBusyText(Body));
}

// Maps the exact status/body pairs of §5.8 to kinds the failure accounting acts on.
internal static class HopErrorClassifier
{
    private const string NextNodeNotFound = "Next node not found: ";
    private const string NextNodeUnreachable = "Next node is currently unreachable: ";
    private const string SnodeNotReady = "Snode not ready: ";

    public static HopError Classify(int status, string body)
    {
        string text = body.Trim();
        HopErrorKind kind;
        string? node = null;
        switch (status)
        {
            case 400 when text == "Invalid ciphertext":
                kind = HopErrorKind.InvalidCiphertext;
                break;
            case 400 when text.Contains("max path length exceeded", StringComparison.Ordinal):
                kind = HopErrorKind.PathTooLong;
                break;
            case 400:
                kind = HopErrorKind.BadRequest;
                break;
            case 406 or 425:
                kind = HopErrorKind.ClockOutOfSync;
                break;
            case 500:
                kind = HopErrorKind.InvalidHopResponse;
                break;
            case 502 when TryNode(text, NextNodeNotFound, out node) || TryNode(text, NextNodeUnreachable, out node):
                kind = HopErrorKind.NodeNotFound;
                break;
            case 502:
                kind = HopErrorKind.ServerUnreachable;
                break;
            case 503 when TryNode(text, SnodeNotReady, out node):
                kind = HopErrorKind.SnodeNotReady;
                break;
            case 503:
                kind = HopErrorKind.GuardNotReady;
                break;
            case 504 when text == "Request time out":
                kind = HopErrorKind.PathTimeout;
                break;
            case 504:
                kind = HopErrorKind.ServerTimeout;
                break;
            default:
                kind = HopErrorKind.Other;
                break;
        }
        return new HopError(kind, status, node, text);
    }

    /// <summary>The storage server's own 503 texts (not ready / busy), as opposed to a server's 503.</summary>
    public static bool IsNodeBusyText(string text) =>
        text.StartsWith("Service node is not ready", StringComparison.Ordinal) || text.StartsWith("Server busy", StringComparison.Ordinal)
        || text.StartsWith("Snode not ready", StringComparison.Ordinal);

    private static bool TryNode(string text, string prefix, out string? node)
    {
        node = null;
        int at = text.IndexOf(prefix, StringComparison.Ordinal);
        if (at < 0)
            return false;
        string rest = text[(at + prefix.Length)..].Trim();
        if (rest.Length < 64 || !rest[..64].All(Uri.IsHexDigit))
            return false;
        node = rest[..64].ToLowerInvariant();
        return true;
    }
}
