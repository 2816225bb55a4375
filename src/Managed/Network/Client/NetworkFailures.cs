namespace SessionInterop.Network.Client;

// SessionException factories for the network layer's recurring failures (on top of Errors.cs).
internal static class NetworkFailures
{
    public static SessionException Unreachable(string message, Exception? inner = null) =>
        Errors.Network("network.unreachable", message, inner);

    public static SessionException NoPath(string message) => Errors.Network("network.no_path", message);

    public static SessionException SwarmUnreachable(string message, Exception? inner = null) =>
        Errors.Network("network.swarm_unreachable", message, inner);

    public static SessionException ClockOutOfSync(string message) =>
        Errors.WrongState("network.clock_out_of_sync", message);

    /// <summary>The storage server refused the request itself (400/401/403): not worth retrying.</summary>
    public static SessionException Rejected(int status, string body) =>
        Errors.InvalidArgument("network.rpc_rejected", $"storage RPC rejected with status {status}: {Short(body)}");

    public static SessionException BadResponse(string message) => Errors.Network("network.bad_response", message);

    internal static string Short(string text) => text.Length <= 120 ? text : text[..120] + "…";
}
