using System.Runtime.InteropServices;
using SessionInterop.Client;

namespace SessionInterop.NativeExports.Abi;

/// <summary>
/// One member of a closed group, as session_group_members hands them out (an array in one library
/// allocation, with its strings; free it with session_free). Fields are only ever appended:
/// struct_size tells how many bytes of each record are valid, and records are struct_size apart.
/// </summary>
// (Sorts after EventRecords.cs on purpose: HeaderGen emits structs in declaration order, and session_str must come first.)
[CStruct("session_group_member")]
[StructLayout(LayoutKind.Sequential)]
internal struct SessionGroupMemberRecord
{
    /// <summary>Bytes valid in this record (the library's sizeof(session_group_member)); also the array stride.</summary>
    public uint struct_size;
    /// <summary>1 for an admin, else 0.</summary>
    public int admin;
    /// <summary>0 joined, 1 invited, 2 invite failed, 3 invite not sent yet, 4 removal pending.</summary>
    public int status;
    /// <summary>The member's Session ID ("05" + 64 hex digits).</summary>
    public SessionStr session_id;
    /// <summary>The name the admin recorded ("" when none).</summary>
    public SessionStr name;
}

/// <summary>Builds the single-allocation member arrays and reads C string arrays.</summary>
internal static unsafe class GroupRecords
{
    internal static SessionGroupMemberRecord* Members(IReadOnlyList<GroupMemberInfo> members)
    {
        var strings = members.Select(m => new[] { RecordArrays.Bytes(m.SessionId), RecordArrays.Bytes(m.Name) }).ToList();
        int head = sizeof(SessionGroupMemberRecord) * members.Count;
        int total = head + strings.Sum(s => s.Sum(b => b.Length + 1));
        byte* block = (byte*)NativeMemory.AllocZeroed((nuint)Math.Max(total, 1));
        var records = (SessionGroupMemberRecord*)block;
        byte* text = block + head;
        for (int i = 0; i < members.Count; i++)
        {
            records[i].struct_size = (uint)sizeof(SessionGroupMemberRecord);
            records[i].admin = members[i].Admin ? 1 : 0;
            records[i].status = members[i].Status;
            records[i].session_id = RecordArrays.Put(strings[i][0], ref text);
            records[i].name = RecordArrays.Put(strings[i][1], ref text);
        }
        return records;
    }

    /// <summary>An array of count C strings (none NULL, at most 100: the apps' group size limit).</summary>
    internal static List<string> ReadIds(byte** ids, nuint count, string parameter)
    {
        if (count > 100) throw Errors.InvalidArgument("group.too_many", $"{parameter}: at most 100 members at once");
        if (ids == null && count > 0) throw Errors.NullPointer(parameter);
        var list = new List<string>((int)count);
        for (nuint i = 0; i < count; i++) list.Add(Utf8.ReadRequired(ids[i], parameter));
        return list;
    }
}
