using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SessionInterop.NativeExports.Abi;

namespace SessionInterop.NativeExports.Exports;

/// <summary>
/// Communities (open groups). Join a room by its URL; session_send to the returned conversation id
/// posts to the room, and room messages arrive as SESSION_EVENT_MESSAGE (later
/// SESSION_EVENT_MESSAGE_EDITED / SESSION_EVENT_MESSAGE_DELETED) with that conversation and the
/// author's blinded ID ("15…") as sender. A blinded direct message has the conversation
/// "http://host:port/inbox/15…?public_key=HEX"; session_send to it sends a blinded DM. Every
/// request goes through onion paths (v4).
/// </summary>
[CSection(85, "Communities")]
internal static unsafe class CommunityExports
{
    /// <summary>
    /// Joins the room at url ("http(s)://host[:port]/ROOM?public_key=" + 64 hex digits) and writes
    /// its conversation id (the canonical URL) into buf (size query with buf == NULL). Persisted:
    /// the room stays joined across restarts, and polling resumes where it stopped. Joining a room
    /// again is harmless. No network I/O happens here; bad URL: SESSION_E_INVALID_ARGUMENT. A
    /// failed call (including SESSION_E_BUFFER_TOO_SMALL) joins nothing.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_join_community", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int Join([CType("session_client*")] nint client, [CType("const char*")] byte* url,
        [CType("char*")] byte* buf, nuint cap, nuint* needed)
    {
        try
        {
            if (needed != null) *needed = 0;
            Utf8.Clear(buf, cap);
            ClientHandle handle = Handles.Clients.Get(client);
            string room = Utf8.ReadRequired(url, nameof(url));
            // Validate and size-check first: a failed call (bad URL, small buffer) joins nothing.
            Utf8.CheckBuffer(Client.SessionClient.CommunityConversationId(room), buf, cap, needed);
            Utf8.WriteToBuffer(handle.Client.JoinCommunity(room), buf, cap, needed);
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// Leaves a joined room, given its URL or conversation id; SESSION_E_NOT_FOUND when it was not
    /// joined. Messages already delivered stay delivered; none follow.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_leave_community", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int Leave([CType("session_client*")] nint client, [CType("const char*")] byte* conversation)
    {
        try
        {
            ClientHandle handle = Handles.Clients.Get(client);
            if (!handle.Client.LeaveCommunity(Utf8.ReadRequired(conversation, nameof(conversation))))
                throw Errors.NotFound("community.not_joined", "this community is not joined");
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }
}
