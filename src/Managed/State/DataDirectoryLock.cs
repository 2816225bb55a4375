using System.Runtime.InteropServices;

namespace SessionInterop.State;

/// <summary>
/// An exclusive flock on data_dir/lock, held while a client has the directory open: a second open,
/// in this process or another, fails with SESSION_E_BUSY instead of two clients sending and
/// acknowledging from one database. The kernel drops the lock if the process dies.
/// </summary>
internal sealed partial class DataDirectoryLock : IDisposable
{
    private const int O_RDWR = 2, O_CREAT = 0x40, O_CLOEXEC = 0x80000;
    private const int LOCK_EX = 2, LOCK_NB = 4, EWOULDBLOCK = 11, EINTR = 4;
    private int _fd;

    private DataDirectoryLock(int fd) => _fd = fd;

    /// <summary>Takes the lock or throws (EBusy when held elsewhere, EStorage when the file cannot be made).</summary>
    internal static DataDirectoryLock Acquire(string dataDirectory)
    {
        if (OperatingSystem.IsWindows()) return new DataDirectoryLock(-1);
        string path = Path.Combine(dataDirectory, "lock");
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, Convert.ToInt32("600", 8));
        if (fd < 0)
            throw Errors.Storage("state.lock_failed", $"cannot create the data directory's lock file (errno {Marshal.GetLastPInvokeError()})");
        int result, errno;
        do
        {
            result = flock(fd, LOCK_EX | LOCK_NB);
            errno = result == 0 ? 0 : Marshal.GetLastPInvokeError();
        } while (result != 0 && errno == EINTR);
        if (result == 0) return new DataDirectoryLock(fd);
        close(fd);
        if (errno == EWOULDBLOCK)
            throw new SessionException(SessionStatus.EBusy, "state.busy", "the data directory is in use by another client");
        throw Errors.Storage("state.lock_failed", $"cannot lock the data directory (errno {errno})");
    }

    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0) close(fd); // closing the descriptor releases the flock
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int close(int fd);
}
