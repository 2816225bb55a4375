using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SessionInterop.NativeExports.Abi;

namespace SessionInterop.NativeExports.Exports;

/// <summary>
/// Multi-device configs: the profile name, contacts, joined communities and read state are kept
/// (encrypted) in the account's own swarm, so every device of the account, and an account restored
/// from its recovery phrase, sees the same. Changes here reach the other devices within seconds
/// while the client runs; their changes arrive as SESSION_EVENT_CONFIG_CHANGED. Everything here
/// works before session_client_start too (changes are pushed once started).
/// </summary>
[CSection(86, "Multi-device configs")]
internal static unsafe class ConfigExports
{
    /// <summary>
    /// Writes the profile's display name (from the account's profile config; "" when none) into buf
    /// (size query with buf == NULL).
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_client_display_name", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int DisplayName([CType("session_client*")] nint client, [CType("char*")] byte* buf, nuint cap, nuint* needed)
    {
        try
        {
            if (needed != null) *needed = 0;
            Utf8.WriteToBuffer(Handles.Clients.Get(client).Client.DisplayName ?? "", buf, cap, needed);
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// Hands out the contacts: *out_contacts points to *out_count records (struct_size apart), all
    /// in one block freed with session_free (also when *out_count is 0).
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_client_contacts", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int Contacts([CType("session_client*")] nint client, [CType("session_contact**")] SessionContactRecord** out_contacts, uint* out_count)
    {
        try
        {
            if (out_contacts == null) throw Errors.NullPointer(nameof(out_contacts));
            if (out_count == null) throw Errors.NullPointer(nameof(out_count));
            *out_contacts = null;
            *out_count = 0;
            var contacts = Handles.Clients.Get(client).Client.Contacts();
            *out_contacts = RecordArrays.Contacts(contacts);
            *out_count = (uint)contacts.Count;
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// Creates or updates a contact. nickname: NULL leaves it, "" removes it (at most 100 bytes);
    /// approved and blocked: -1 leaves the flag, 0 clears it, 1 sets it. Blocking drops the
    /// sender's messages (on every device of the account).
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_set_contact", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int SetContact([CType("session_client*")] nint client, [CType("const char*")] byte* session_id,
        [CType("const char*")] byte* nickname, int approved, int blocked)
    {
        try
        {
            ClientHandle handle = Handles.Clients.Get(client);
            string id = Utf8.ReadRequired(session_id, nameof(session_id));
            string? nick = nickname == null ? null : Utf8.ReadRequired(nickname, nameof(nickname));
            handle.Client.SetContact(id, nick, Flag(approved, nameof(approved)), Flag(blocked, nameof(blocked)));
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// Hands out the joined communities' conversation ids: *out_ids points to *out_count strings, all
    /// in one block freed with session_free.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_client_communities", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int Communities([CType("session_client*")] nint client, [CType("session_str**")] SessionStr** out_ids, uint* out_count)
    {
        try
        {
            if (out_ids == null) throw Errors.NullPointer(nameof(out_ids));
            if (out_count == null) throw Errors.NullPointer(nameof(out_count));
            *out_ids = null;
            *out_count = 0;
            var ids = Handles.Clients.Get(client).Client.JoinedCommunities();
            *out_ids = RecordArrays.Strings(ids);
            *out_count = (uint)ids.Count;
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// Marks a conversation (a Session ID or a community conversation id) as read up to
    /// timestamp_ms (Unix ms); the account's other devices see it as read too. In a 1:1
    /// conversation this starts the timers of its disappear-after-read messages.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_mark_read", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int MarkRead([CType("session_client*")] nint client, [CType("const char*")] byte* conversation, long timestamp_ms)
    {
        try
        {
            ClientHandle handle = Handles.Clients.Get(client);
            handle.Client.MarkRead(Utf8.ReadRequired(conversation, nameof(conversation)), timestamp_ms);
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    private static bool? Flag(int value, string name) => value switch
    {
        -1 => null,
        0 => false,
        1 => true,
        _ => throw Errors.InvalidArgument("arg.bad_flag", $"{name} must be -1 (unchanged), 0 or 1"),
    };
}
