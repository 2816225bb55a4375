using System.Runtime.InteropServices;
using SessionInterop.Config;

namespace SessionInterop.NativeExports.Abi;

/// <summary>
/// One contact from the account's Contacts config, as session_client_contacts hands them out (an
/// array in one library allocation, with its strings; free it with session_free). Fields are only
/// ever appended: struct_size tells how many bytes of each record are valid, and records are
/// struct_size apart.
/// </summary>
// (This file sorts after EventRecords.cs on purpose: HeaderGen emits structs in declaration order, and session_str must come first.)
[CStruct("session_contact")]
[StructLayout(LayoutKind.Sequential)]
internal struct SessionContactRecord
{
    /// <summary>Bytes valid in this record (the library's sizeof(session_contact)); also the array stride.</summary>
    public uint struct_size;
    /// <summary>1 when we accepted their messages (or wrote first), else 0.</summary>
    public int approved;
    /// <summary>1 when they accepted ours, else 0.</summary>
    public int approved_me;
    /// <summary>1 when blocked: their messages are dropped.</summary>
    public int blocked;
    /// <summary>The contact's Session ID ("05" + 64 hex digits).</summary>
    public SessionStr session_id;
    /// <summary>Their own display name ("" when unknown).</summary>
    public SessionStr name;
    /// <summary>Our nickname for them ("" for none).</summary>
    public SessionStr nickname;
}

/// <summary>Builds the single-allocation arrays the config exports hand out.</summary>
internal static unsafe class RecordArrays
{
    /// <summary>Contacts as one block: the records, then their NUL-terminated strings.</summary>
    internal static SessionContactRecord* Contacts(IReadOnlyList<ContactInfo> contacts)
    {
        var strings = contacts.Select(c => new[] { Bytes(c.SessionId), Bytes(c.Name), Bytes(c.Nickname) }).ToList();
        int head = sizeof(SessionContactRecord) * contacts.Count;
        int total = head + strings.Sum(s => s.Sum(b => b.Length + 1));
        byte* block = (byte*)NativeMemory.AllocZeroed((nuint)Math.Max(total, 1));
        var records = (SessionContactRecord*)block;
        byte* text = block + head;
        for (int i = 0; i < contacts.Count; i++)
        {
            records[i].struct_size = (uint)sizeof(SessionContactRecord);
            records[i].approved = contacts[i].Approved ? 1 : 0;
            records[i].approved_me = contacts[i].ApprovedMe ? 1 : 0;
            records[i].blocked = contacts[i].Blocked ? 1 : 0;
            records[i].session_id = Put(strings[i][0], ref text);
            records[i].name = Put(strings[i][1], ref text);
            records[i].nickname = Put(strings[i][2], ref text);
        }
        return records;
    }

    /// <summary>Strings as one block: the session_str array, then the NUL-terminated texts.</summary>
    internal static SessionStr* Strings(IReadOnlyList<string> values)
    {
        var bytes = values.Select(Bytes).ToList();
        int head = sizeof(SessionStr) * values.Count;
        int total = head + bytes.Sum(b => b.Length + 1);
        byte* block = (byte*)NativeMemory.AllocZeroed((nuint)Math.Max(total, 1));
        var items = (SessionStr*)block;
        byte* text = block + head;
        for (int i = 0; i < values.Count; i++) items[i] = Put(bytes[i], ref text);
        return items;
    }

    internal static byte[] Bytes(string s) => System.Text.Encoding.UTF8.GetBytes(s);

    internal static SessionStr Put(byte[] value, ref byte* cursor)
    {
        value.CopyTo(new Span<byte>(cursor, value.Length));
        cursor[value.Length] = 0;
        var s = new SessionStr { data = cursor, len = (nuint)value.Length };
        cursor += value.Length + 1;
        return s;
    }
}
