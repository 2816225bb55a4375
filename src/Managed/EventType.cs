namespace SessionInterop;

/// <summary>
/// Kinds of events a client hands to the app through session_poll. An open set: callers must
/// ignore types they do not know. Values are forever.
/// </summary>
[CEnum("session_event_type", "SESSION_EVENT_")]
public enum EventType
{
    /// <summary>No event (never delivered).</summary>
    None = 0,
    /// <summary>An asynchronous request finished: exactly one per request id, with its status.</summary>
    RequestDone = 1,
    /// <summary>The connection state changed; value is a session_connection_state.</summary>
    Connection = 2,
    /// <summary>A message arrived: conversation, sender, message_id, text and timestamp_ms are set.</summary>
    Message = 3,
    /// <summary>A community post was edited: conversation, sender, message_id (the post's id), the new text and timestamp_ms.</summary>
    MessageEdited = 12,
    /// <summary>A community post was deleted: conversation, sender and message_id (the post's id) are set.</summary>
    MessageDeleted = 13,
    /// <summary>The client stopped after session_client_stop; no events follow.</summary>
    Stopped = 11,
    /// <summary>
    /// Background work keeps failing, or storage failed: error_code (and text) is the dotted code,
    /// status and value the session_status, conversation the job ("outbox", "inbox", "community", …).
    /// The library keeps trying; the app may tell its user.
    /// </summary>
    Error = 14,
    /// <summary>
    /// A reaction to a message: ref_timestamp_ms and ref_author name the message, emoji the reaction,
    /// value 0 added, 1 removed; conversation and sender as for MESSAGE.
    /// </summary>
    Reaction = 15,
    /// <summary>A read receipt: one event per message read; ref_timestamp_ms is that message's sent time.</summary>
    Receipt = 16,
    /// <summary>The other party started (value 1) or stopped (value 0) typing.</summary>
    Typing = 17,
    /// <summary>"Delete for everyone": ref_timestamp_ms and ref_author name the message to delete.</summary>
    Unsend = 18,
    /// <summary>The sender's profile changed: display_name is the new name, value its update time (Unix s, 0 unknown).</summary>
    Profile = 19,
    /// <summary>The other party answered our message request: value 1 accepted (the apps only send acceptances).</summary>
    RequestResponse = 20,
    /// <summary>
    /// Another device of this account changed a config (multi-device sync): value is the config's
    /// namespace (2 profile, 3 contacts, 4 conversation read state, 5 communities and groups);
    /// conversation is the contact's Session ID, the community or group that changed ("" for the profile).
    /// </summary>
    ConfigChanged = 21,
    /// <summary>
    /// An invitation to a closed group: conversation is the group id ("03…"), sender the inviter,
    /// text the group's name. Nothing is joined until the app accepts (or declines) it.
    /// </summary>
    GroupInvite = 22,
    /// <summary>
    /// A closed group's membership or info changed: conversation is the group id, sender who did it
    /// (when known), value the kind (session_group_update_kind), text describes the change.
    /// </summary>
    GroupUpdate = 23,
    /// <summary>A log record (only when log-as-events is enabled): value is the level, text the message.</summary>
    Log = 10,
}
