using System.Runtime.InteropServices;
using System.Text;

namespace SessionInterop.NativeExports.Abi;

/// <summary>
/// The thread-local error slot behind session_last_error_message/_code (errno + strerror style).
/// Each thread owns two native NUL-terminated buffers that are replaced on every failure, so the
/// pointers handed out stay valid until the next failing call on that thread.
/// </summary>
internal static unsafe class LastError
{
    [ThreadStatic] private static byte* t_message;
    [ThreadStatic] private static byte* t_code;

    private static readonly byte* s_empty = NativeStrings.Intern("");

    internal static byte* Message => t_message != null ? t_message : s_empty;
    internal static byte* Code => t_code != null ? t_code : s_empty;

    /// <summary>Records a failure and returns its status. Never throws: it runs inside every catch.</summary>
    internal static int Set(Exception e)
    {
        try
        {
            SessionStatus status;
            string code, message;
            switch (e)
            {
                case SessionException se:
                    (status, code, message) = (se.Status, se.Code, se.Message);
                    break;
                case Microsoft.Data.Sqlite.SqliteException sqlite:
                    return Set(State.StorageErrors.Translate(sqlite));
                case OperationCanceledException:
                    (status, code, message) = (SessionStatus.ECancelled, "cancelled", "the operation was cancelled");
                    break;
                case OutOfMemoryException:
                    (status, code, message) = (SessionStatus.EOutOfMemory, "internal.out_of_memory", "out of memory");
                    break;
                case TypeInitializationException or AggregateException when e.InnerException is not null:
                    return Set(e.InnerException);
                default:
                    (status, code, message) = (SessionStatus.EInternal, "internal.unexpected", Errors.Describe(e));
                    break;
            }
            Replace(ref t_message, message);
            Replace(ref t_code, code);
            return (int)status;
        }
        catch
        {
            return (int)SessionStatus.EInternal;
        }
    }

    /// <summary>Records a failure given directly as a status, code and message.</summary>
    internal static int Set(SessionStatus status, string code, string message) =>
        Set(new SessionException(status, code, message));

    private static void Replace(ref byte* slot, string text)
    {
        int length = Encoding.UTF8.GetByteCount(text);
        byte* fresh = (byte*)NativeMemory.Alloc((nuint)length + 1);
        Encoding.UTF8.GetBytes(text, new Span<byte>(fresh, length));
        fresh[length] = 0;
        byte* old = slot;
        slot = fresh;
        if (old != null) NativeMemory.Free(old);
    }
}
