using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;
using NUnit.Framework;
using SessionInterop.Client;
using SessionInterop.State;

namespace SessionInterop.Tests.Client;

/// <summary>
/// Storage failures (issue 11): a full disk, a read-only file system, a corrupt database. Each gives
/// a clear status or an ERROR event, never a crash, and the client recovers once the cause is gone.
/// The disk tests mount a 2 MB tmpfs and so need root; CI runs as root, so without it they fail
/// loudly rather than skip.
/// </summary>
[NonParallelizable]
public sealed class StorageFailureTests : ClientTestBase
{
    private readonly List<string> _mounts = [];

    protected override void BeforeRemovingDirectories()
    {
        foreach (string m in _mounts) Run("umount", "-l", m);
        _mounts.Clear();
    }

    /// <summary>A fresh 2 MB tmpfs (root only).</summary>
    private string SmallDisk()
    {
        if (Environment.UserName != "root" && !string.Equals(Environment.GetEnvironmentVariable("USER"), "root", StringComparison.Ordinal))
            Assert.Fail("this test mounts a tmpfs and must run as root (as CI does)");
        string dir = NewDir();
        Run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", dir);
        _mounts.Add(dir);
        return dir;
    }

    private static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using Process p = Process.Start(psi)!;
        p.WaitForExit();
        if (p.ExitCode != 0 && file != "umount") Assert.Fail($"{file} {string.Join(' ', args)} failed: {p.StandardError.ReadToEnd()}");
    }

    private static void FillDisk(string dir)
    {
        // Unbuffered, so every write reaches the disk now and closing has nothing left to flush.
        using var filler = new FileStream(Path.Combine(dir, "filler"), FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        var block = new byte[64 * 1024];
        try
        {
            while (true) filler.Write(block);
        }
        catch (IOException) { /* full */ }
        // Whatever is left is smaller than a block: take it too.
        var small = new byte[512];
        try { while (true) filler.Write(small); } catch (IOException) { }
    }

    [Test]
    public void A_full_disk_gives_storage_statuses_and_error_events_and_recovers_when_space_returns()
    {
        string disk = SmallDisk();
        using SessionClient alice = Open();
        using SessionClient bob = Open(Path.Combine(disk, "bob"));
        alice.Start();
        bob.Start();
        alice.Send(bob.SessionId, "before");
        DrainUntil(bob, s => s.Any(e => e.Type == EventType.Message));

        FillDisk(disk);
        string big = new('z', SessionClient.MaxTextBytes - 10);
        SessionException? refused = null;
        for (int i = 0; i < 50 && refused is null; i++)
        {
            try { bob.Send(alice.SessionId, big); }
            catch (SessionException e) { refused = e; }
        }
        Assert.That(refused, Is.Not.Null, "a full disk must refuse sends");
        Assert.That((refused!.Status, refused.Code), Is.EqualTo((SessionStatus.EStorage, "storage.full")));

        // Receiving on a full disk: the inbox job reports it and keeps trying; nothing crashes.
        for (int i = 0; i < 5; i++) alice.Send(bob.SessionId, big);
        var events = DrainUntil(bob, s => s.Any(e => e.Type == EventType.Error));
        SessionEvent error = events.First(e => e.Type == EventType.Error);
        Assert.That(error.Status, Is.EqualTo(SessionStatus.EStorage));

        File.Delete(Path.Combine(disk, "filler"));
        alice.Send(bob.SessionId, "after");
        var later = DrainUntil(bob, s => s.Any(e => e.Type == EventType.Message && Encoding.UTF8.GetString(e.Text) == "after"));
        Assert.That(later.Count(e => e.Type == EventType.Message && e.Text.Length == big.Length), Is.EqualTo(5), "what arrived while full is delivered once there is room");
        Assert.DoesNotThrow(() => bob.Send(alice.SessionId, "room again"));
    }

    [Test]
    public void A_read_only_file_system_is_refused_with_a_storage_status_and_opens_when_writable_again()
    {
        string disk = SmallDisk();
        string dir = Path.Combine(disk, "alice");
        string id;
        using (SessionClient alice = Open(dir))
        {
            id = alice.SessionId;
            alice.Send(id, "queued before the file system went read-only");
        }
        // (A mounted file system with files open for writing cannot be remounted read-only, so the
        // read-only case is the one an app meets at open: after a crash, a full-disk remount, a backup.)
        Run("mount", "-o", "remount,ro", disk);
        var open = Assert.Throws<SessionException>(() => Open(dir))!;
        Assert.That(open.Status, Is.EqualTo(SessionStatus.EStorage), open.Code);
        Run("mount", "-o", "remount,rw", disk);
        using SessionClient again = Open(dir);
        Assert.That(again.SessionId, Is.EqualTo(id));
        Assert.That(again.PendingSends, Is.EqualTo(1), "nothing was lost");
    }

    [Test]
    public void A_corrupt_database_is_refused_clearly_and_a_restored_one_opens()
    {
        string dir = NewDir();
        string id;
        using (SessionClient alice = Open(dir)) id = alice.SessionId;
        string db = StateStore.DatabasePath(dir);
        byte[] good = File.ReadAllBytes(db);
        byte[] bad = (byte[])good.Clone();
        for (int i = 0; i < Math.Min(bad.Length, 4096); i++) bad[i] = (byte)(i * 7 + 3);
        File.WriteAllBytes(db, bad);
        var e = Assert.Throws<SessionException>(() => Open(dir))!;
        Assert.That((e.Status, e.Code), Is.EqualTo((SessionStatus.EBadStateData, "state.corrupt")));
        File.WriteAllBytes(db, good);
        using SessionClient restored = Open(dir);
        Assert.That(restored.SessionId, Is.EqualTo(id));
    }
}
