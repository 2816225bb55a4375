using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Microsoft.Data.Sqlite;
using NUnit.Framework;
using SessionInterop.Client;
using SessionInterop.Crypto;
using SessionInterop.State;
using SessionInterop.State.Stored;

namespace SessionInterop.LocalNet.Tests.Client;

/// <summary>
/// Attachments and avatars end to end on LocalNet: upload through onion paths to LocalNet's file
/// server, pointers in the message, explicit verified downloads, expired and tampered files, a
/// blob built as desktop builds it under the official host's URL, a download resumed after a restart.
/// </summary>
[NonParallelizable]
public sealed class AttachmentsOverLocalNetTests
{
    private LocalNetwork _net = null!;
    private readonly List<string> _dirs = [];

    [OneTimeSetUp]
    public async Task StartNetwork() => _net = await LocalNetwork.StartAsync(new LocalNetOptions { Nodes = 12, SwarmSize = 3, RelayTimeout = TimeSpan.FromSeconds(3) });

    [OneTimeTearDown]
    public async Task StopNetwork() => await _net.DisposeAsync();

    [TearDown]
    public void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        foreach (string d in _dirs) Directory.Delete(d, recursive: true);
        _dirs.Clear();
    }

    private string TempDir()
    {
        string dir = Directory.CreateTempSubdirectory("session-att-").FullName;
        _dirs.Add(dir);
        return dir;
    }

    private SessionClient NewClient(string? dir = null) => SessionClient.Open(new SessionClientOptions
    {
        DataDirectory = dir ?? TempDir(),
        SeedUrls = [_net.SeedUrl.ToString()],
        AcceptSelfSignedCertificates = true,
        MinPollInterval = TimeSpan.FromMilliseconds(100),
        MaxPollInterval = TimeSpan.FromMilliseconds(400),
        RequestTimeout = TimeSpan.FromSeconds(8),
        FileServerUrl = _net.FileServerUrl.ToString(),
        FileServerPublicKey = _net.FileServerPublicKeyHex,
    });

    private static SessionEvent WaitFor(SessionClient client, Func<SessionEvent, bool> match, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            client.Wait(TimeSpan.FromMilliseconds(250));
            foreach (SessionEvent e in client.Poll(64))
                if (match(e)) return e;
        }
        Assert.Fail("timed out waiting for an event");
        return null!;
    }

    private static SessionEvent Done(SessionClient client, ulong request, int seconds = 60) =>
        WaitFor(client, e => e.Type == EventType.RequestDone && e.RequestId == request, seconds);

    /// <summary>A PNG-looking picture of the given size (the header says 640×480).</summary>
    private static byte[] Picture(int size)
    {
        byte[] png = RandomNumberGenerator.GetBytes(size);
        new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R' }.CopyTo(png, 0);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(16), 640);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(20), 480);
        return png;
    }

    [Test]
    public void A_picture_reaches_the_recipient_byte_identical_and_bad_files_give_clear_errors()
    {
        using SessionClient alice = NewClient(), bob = NewClient();
        alice.Start();
        bob.Start();
        byte[] picture = Picture(300_000);
        string source = Path.Combine(TempDir(), "holiday.png");
        File.WriteAllBytes(source, picture);

        alice.SetDisplayName("Alice");
        ulong sent = alice.Send(bob.SessionId, "look", [AttachmentSource.FromFile(source)]);
        Assert.That(Done(alice, sent).Status, Is.EqualTo(SessionStatus.Ok));
        // The message carries the profile as a text does: the name and when it last changed (a PROFILE event's value).
        SessionEvent? message = null, profile = null;
        WaitFor(bob, e =>
        {
            if (e.Type == EventType.Message) message = e;
            if (e.Type == EventType.Profile) profile = e;
            return message is not null && profile is not null;
        });
        Assert.That(Encoding.UTF8.GetString(message!.Text), Is.EqualTo("look"));
        Assert.That((message.DisplayName, profile!.DisplayName), Is.EqualTo(("Alice", "Alice")));
        Assert.That(profile.Value, Is.GreaterThan(0), "lastProfileUpdateSeconds is sent with attachments too");
        Attachment a = message.Attachments.Single();
        Assert.That((a.ContentType, a.Size, a.FileName, a.Width, a.Height), Is.EqualTo(("image/png", 300_000L, "holiday.png", 640, 480)));
        Assert.That(a.Url, Does.StartWith("http://filev2.getsession.org/file/"), "written as the official apps write it");
        Assert.That(a.Key.Length, Is.EqualTo(64), "desktop's default (legacy) encryption");

        string dest = Path.Combine(TempDir(), "received.png");
        SessionEvent done = Done(bob, bob.Download(a, dest));
        Assert.That(done.Status, Is.EqualTo(SessionStatus.Ok), done.ErrorCode);
        Assert.That(File.ReadAllBytes(dest), Is.EqualTo(picture));
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(dest)!), Is.EqualTo(new[] { dest }), "no temporary file left");

        // Tampered or truncated on the server: caught, and nothing is left under the final name.
        foreach (var (size, code) in new[] { (1008, "attachment.bad_digest"), (1000, "attachment.truncated") })
        {
            _net.Files.Place(a.Id, RandomNumberGenerator.GetBytes(size));
            string tampered = Path.Combine(TempDir(), "tampered.png");
            done = Done(bob, bob.Download(a, tampered));
            Assert.That((done.Status, done.ErrorCode), Is.EqualTo((SessionStatus.ECrypto, code)));
            Assert.That(Directory.GetFiles(Path.GetDirectoryName(tampered)!), Is.Empty);
        }

        // Expired: the server no longer has it.
        Assert.That(_net.Files.Expire(a.Id), Is.True);
        string expired = Path.Combine(TempDir(), "expired.png");
        done = Done(bob, bob.Download(a, expired));
        Assert.That((done.Status, done.ErrorCode), Is.EqualTo((SessionStatus.ENotFound, "attachment.expired")));
        Assert.That(File.Exists(expired), Is.False);
    }

    [Test]
    public void An_attachment_only_message_is_a_message_and_oversize_or_missing_files_are_refused_at_send()
    {
        using SessionClient alice = NewClient(), bob = NewClient();
        alice.Start();
        bob.Start();
        byte[] voice = RandomNumberGenerator.GetBytes(5000);
        ulong sent = alice.Send(bob.SessionId, "", [AttachmentSource.FromBytes(voice, "note.ogg")]);
        Assert.That(Done(alice, sent).Status, Is.EqualTo(SessionStatus.Ok));
        SessionEvent message = WaitFor(bob, e => e.Type == EventType.Message);
        Assert.That(message.Text, Is.Empty);
        Assert.That(message.Attachments.Single().ContentType, Is.EqualTo("audio/ogg"));

        var tooBig = Assert.Throws<SessionException>(() => alice.Send(bob.SessionId, "", [AttachmentSource.FromBytes(new byte[10_000_001], "big.bin")]));
        Assert.That(tooBig!.Code, Is.EqualTo("attachment.too_large"));
        var missing = Assert.Throws<SessionException>(() => alice.Send(bob.SessionId, "", [AttachmentSource.FromFile("/nonexistent/x.png")]));
        Assert.That(missing!.Code, Is.EqualTo("attachment.no_file"));
        Assert.That(Directory.GetFiles(Path.Combine(_dirs[0], "spool")), Is.Empty, "the spool holds nothing once sent or refused");
    }

    [Test]
    public void The_largest_attachment_the_apps_send_fits_through_the_onion_both_ways()
    {
        using SessionClient alice = NewClient(), bob = NewClient();
        alice.Start();
        bob.Start();
        byte[] data = RandomNumberGenerator.GetBytes((int)SessionClient.MaxAttachmentBytes);
        SessionEvent sent = Done(alice, alice.Send(bob.SessionId, "", [AttachmentSource.FromBytes(data, "max.bin")]));
        Assert.That(sent.Status, Is.EqualTo(SessionStatus.Ok), sent.ErrorCode);
        Attachment a = WaitFor(bob, e => e.Type == EventType.Message).Attachments.Single();
        string dest = Path.Combine(TempDir(), "max.bin");
        SessionEvent done = Done(bob, bob.Download(a, dest), seconds: 120);
        Assert.That(done.Status, Is.EqualTo(SessionStatus.Ok), done.ErrorCode);
        Assert.That(File.ReadAllBytes(dest).AsSpan().SequenceEqual(data), Is.True);
    }

    [Test]
    public void A_blob_built_as_desktop_builds_it_under_the_official_url_downloads_from_localnet_by_id()
    {
        byte[] original = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("desktop attachment ", 500)));
        byte[] keys = RandomNumberGenerator.GetBytes(64), iv = RandomNumberGenerator.GetBytes(16);
        byte[] padded = new byte[SessionInterop.Crypto.Attachments.LegacyAttachmentCipher.PaddedLength(original.Length)];
        original.CopyTo(padded, 0);
        using Aes aes = Aes.Create();
        aes.Key = keys[..32];
        byte[] ivCt = [.. iv, .. aes.EncryptCbc(padded, iv, PaddingMode.PKCS7)];
        byte[] blob = [.. ivCt, .. HMACSHA256.HashData(keys[32..], ivCt)];
        const string id = "7242938729163"; // an old-style numeric id, as the deprecated API gave
        _net.Files.Place(id, blob);

        var pointer = new Attachment(new AttachmentRef
        {
            Url = $"http://filev2.getsession.org/file/{id}",
            Key = ByteString.CopyFrom(keys),
            Digest = ByteString.CopyFrom(SHA256.HashData(blob)),
            Size = (ulong)original.Length,
        });
        using SessionClient bob = NewClient();
        bob.Start();
        string dest = Path.Combine(TempDir(), "from-desktop.txt");
        Assert.That(Done(bob, bob.Download(pointer, dest)).Status, Is.EqualTo(SessionStatus.Ok));
        Assert.That(File.ReadAllBytes(dest), Is.EqualTo(original));
    }

    [Test]
    public void A_profile_picture_set_by_one_client_is_downloaded_by_another()
    {
        using SessionClient alice = NewClient(), bob = NewClient();
        alice.Start();
        bob.Start();
        byte[] avatar = Picture(20_000);
        Assert.That(Done(alice, alice.SetAvatar(AttachmentSource.FromBytes(avatar, "me.png"))).Status, Is.EqualTo(SessionStatus.Ok));
        Assert.That(Done(alice, alice.Send(bob.SessionId, "hi")).Status, Is.EqualTo(SessionStatus.Ok));
        SessionEvent message = WaitFor(bob, e => e.Type == EventType.Message);
        Attachment? picture = message.Avatar;
        Assert.That(picture, Is.Not.Null);
        Assert.That(picture!.IsAvatar, Is.True);
        string dest = Path.Combine(TempDir(), "alice.png");
        Assert.That(Done(bob, bob.Download(picture, dest)).Status, Is.EqualTo(SessionStatus.Ok));
        Assert.That(File.ReadAllBytes(dest), Is.EqualTo(avatar));
    }

    [Test]
    public void A_queued_message_with_attachments_keeps_its_text_sealed_at_rest()
    {
        string dir = TempDir();
        using SessionClient alice = NewClient(dir);
        using Identity bob = Identity.Generate();
        alice.Send(bob.SessionId.ToString(), "top secret caption", [AttachmentSource.FromBytes(new byte[100], "x.bin")]);
        using var db = new SqliteConnection($"Data Source={Path.Combine(dir, "identity.db")};Mode=ReadOnly;Pooling=False");
        db.Open();
        using SqliteCommand cmd = db.CreateCommand();
        cmd.CommandText = "SELECT payload FROM outbox";
        byte[] payload = (byte[])cmd.ExecuteScalar()!;
        Assert.That(payload.Length, Is.GreaterThan(40));
        Assert.That(Encoding.UTF8.GetString(payload), Does.Not.Contain("top secret"));
    }

    [Test]
    public void A_download_queued_before_a_restart_completes_after_it()
    {
        string aliceDir = TempDir();
        byte[] data = RandomNumberGenerator.GetBytes(40_000);
        Attachment a;
        using (SessionClient alice = NewClient(aliceDir), bob = NewClient())
        {
            alice.Start();
            bob.Start();
            Assert.That(Done(alice, alice.Send(bob.SessionId, "f", [AttachmentSource.FromBytes(data, "f.bin")])).Status, Is.EqualTo(SessionStatus.Ok));
            a = WaitFor(bob, e => e.Type == EventType.Message).Attachments.Single();
        }
        string bobDir = TempDir(), dest = Path.Combine(TempDir(), "f.bin");
        ulong request;
        using (SessionClient bob = NewClient(bobDir))
            request = bob.Download(a, dest); // never started: the row waits on disk
        using (SessionClient bob = NewClient(bobDir))
        {
            bob.Start();
            Assert.That(Done(bob, request).Status, Is.EqualTo(SessionStatus.Ok));
        }
        Assert.That(File.ReadAllBytes(dest), Is.EqualTo(data));
    }
}
