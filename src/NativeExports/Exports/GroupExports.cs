using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SessionInterop.NativeExports.Abi;

namespace SessionInterop.NativeExports.Exports;

/// <summary>
/// Closed groups ("03…" ids, as the official apps' groups). An admin creates a group and invites
/// members; an invitee gets SESSION_EVENT_GROUP_INVITE (conversation = group id, sender = inviter,
/// text = group name) and joins nothing until session_accept_group_invite. session_send to the
/// group id sends to every member; group messages arrive as SESSION_EVENT_MESSAGE with the group
/// as conversation and the member as sender; membership and name changes as
/// SESSION_EVENT_GROUP_UPDATE (value a session_group_update_kind, text describes it). Everything
/// here is checked and persisted on the calling thread; the network work happens in the background.
/// </summary>
[CSection(87, "Closed groups")]
internal static unsafe class GroupExports
{
    /// <summary>
    /// Creates a group named name with us as admin, invites member_count members (Session IDs,
    /// "05…"; may be 0) and writes its id ("03…", 66 characters) into buf (size query with buf ==
    /// NULL). A failed call (including SESSION_E_BUFFER_TOO_SMALL) creates nothing.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_create_group", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int Create([CType("session_client*")] nint client, [CType("const char*")] byte* name,
        [CType("const char* const *")] byte** members, nuint member_count, [CType("char*")] byte* buf, nuint cap, nuint* needed)
    {
        try
        {
            if (needed != null) *needed = 0;
            Utf8.Clear(buf, cap);
            ClientHandle handle = Handles.Clients.Get(client);
            string groupName = Utf8.ReadRequired(name, nameof(name));
            List<string> ids = GroupRecords.ReadIds(members, member_count, nameof(members));
            Utf8.CheckBuffer(new string('0', 66), buf, cap, needed);   // every group id has 66 characters
            Utf8.WriteToBuffer(handle.Client.CreateGroup(groupName, ids), buf, cap, needed);
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>Accepts a pending invite: the group is polled from now on. SESSION_E_WRONG_STATE when none is pending.</summary>
    [UnmanagedCallersOnly(EntryPoint = "session_accept_group_invite", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int Accept([CType("session_client*")] nint client, [CType("const char*")] byte* group_id)
    {
        try { return OnGroup(client, group_id, (c, gid) => c.AcceptGroupInvite(gid)); }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>Declines a pending invite: the group is forgotten. SESSION_E_WRONG_STATE when none is pending.</summary>
    [UnmanagedCallersOnly(EntryPoint = "session_decline_group_invite", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int Decline([CType("session_client*")] nint client, [CType("const char*")] byte* group_id)
    {
        try { return OnGroup(client, group_id, (c, gid) => c.DeclineGroupInvite(gid)); }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>Admins: adds and invites members (1 to 100 Session IDs).</summary>
    [UnmanagedCallersOnly(EntryPoint = "session_add_group_members", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int Add([CType("session_client*")] nint client, [CType("const char*")] byte* group_id,
        [CType("const char* const *")] byte** members, nuint member_count)
    {
        try
        {
            List<string> ids = GroupRecords.ReadIds(members, member_count, nameof(members));
            return OnGroup(client, group_id, (c, gid) => c.AddGroupMembers(gid, ids));
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>Admins: removes members; the group's keys rotate so they read nothing new.</summary>
    [UnmanagedCallersOnly(EntryPoint = "session_remove_group_members", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int Remove([CType("session_client*")] nint client, [CType("const char*")] byte* group_id,
        [CType("const char* const *")] byte** members, nuint member_count)
    {
        try
        {
            List<string> ids = GroupRecords.ReadIds(members, member_count, nameof(members));
            return OnGroup(client, group_id, (c, gid) => c.RemoveGroupMembers(gid, ids));
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>Admins: makes a member an admin.</summary>
    [UnmanagedCallersOnly(EntryPoint = "session_promote_group_admin", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int Promote([CType("session_client*")] nint client, [CType("const char*")] byte* group_id, [CType("const char*")] byte* session_id)
    {
        try
        {
            string member = Utf8.ReadRequired(session_id, nameof(session_id));
            return OnGroup(client, group_id, (c, gid) => c.PromoteGroupAdmin(gid, member));
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>Admins: renames the group (1 to 100 bytes of UTF-8).</summary>
    [UnmanagedCallersOnly(EntryPoint = "session_rename_group", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int Rename([CType("session_client*")] nint client, [CType("const char*")] byte* group_id, [CType("const char*")] byte* name)
    {
        try
        {
            string newName = Utf8.ReadRequired(name, nameof(name));
            return OnGroup(client, group_id, (c, gid) => c.RenameGroup(gid, newName));
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>Admins: sets the group's description (at most 2,000 bytes of UTF-8; "" clears it).</summary>
    [UnmanagedCallersOnly(EntryPoint = "session_set_group_description", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int SetDescription([CType("session_client*")] nint client, [CType("const char*")] byte* group_id, [CType("const char*")] byte* description)
    {
        try
        {
            string text = Utf8.ReadRequired(description, nameof(description));
            return OnGroup(client, group_id, (c, gid) => c.SetGroupDescription(gid, text));
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>Admins: deletes the group for every member (they get GROUP_UPDATE DESTROYED). Permanent.</summary>
    [UnmanagedCallersOnly(EntryPoint = "session_delete_group", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int Delete([CType("session_client*")] nint client, [CType("const char*")] byte* group_id)
    {
        try { return OnGroup(client, group_id, (c, gid) => c.DeleteGroup(gid)); }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>Leaves a joined group (the other members are told); nothing more arrives from it.</summary>
    [UnmanagedCallersOnly(EntryPoint = "session_leave_group", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int Leave([CType("session_client*")] nint client, [CType("const char*")] byte* group_id)
    {
        try { return OnGroup(client, group_id, (c, gid) => c.LeaveGroup(gid)); }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// Hands out the group's members: *out_members points to *out_count records (struct_size apart),
    /// all in one block freed with session_free (also when *out_count is 0).
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_group_members", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int Members([CType("session_client*")] nint client, [CType("const char*")] byte* group_id,
        [CType("session_group_member**")] SessionGroupMemberRecord** out_members, uint* out_count)
    {
        try
        {
            if (out_members == null) throw Errors.NullPointer(nameof(out_members));
            if (out_count == null) throw Errors.NullPointer(nameof(out_count));
            *out_members = null;
            *out_count = 0;
            ClientHandle handle = Handles.Clients.Get(client);
            var members = handle.Client.GroupMembers(Utf8.ReadRequired(group_id, nameof(group_id)));
            *out_members = GroupRecords.Members(members);
            *out_count = (uint)members.Count;
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>Runs an action on a group of a live client (the caller catches).</summary>
    private static int OnGroup(nint client, byte* groupId, Action<Client.SessionClient, string> action)
    {
        ClientHandle handle = Handles.Clients.Get(client);
        action(handle.Client, Utf8.ReadRequired(groupId, nameof(groupId)));
        return 0;
    }
}
