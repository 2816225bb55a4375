namespace SessionInterop.Network.Client;

/// <summary>How the client currently sees its link to the Session network (the value of a CONNECTION event).</summary>
[CEnum("session_connection_state", "SESSION_CONNECTION_")]
public enum ConnectionState
{
    /// <summary>No working path (not started, or every attempt failed).</summary>
    Disconnected = 0,
    /// <summary>Fetching nodes or building paths.</summary>
    Connecting = 1,
    /// <summary>The last request went through an onion path.</summary>
    Connected = 2,
}
