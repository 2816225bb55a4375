using System.Text;
using System.Text.Json;
using Google.Protobuf;
using SessionInterop.Client.Attachments;
using SessionInterop.Client.Conversation;
using SessionInterop.Client.Attachments.Stored;
using SessionInterop.Config;
using SessionInterop.Crypto;
using SessionInterop.Crypto.Attachments;
using SessionInterop.Network.Client;
using SessionInterop.Protocol.Protos;
using SessionInterop.State;
using SessionInterop.State.Stored;

namespace SessionInterop.Client;

// Attachments and profile pictures (protocol-network.md §8): sending uploads each file through an
// onion path before the message is stored; downloads are explicit. Both are outbox rows (kinds
// AttachmentMessage, Download, Avatar), so they survive restarts, are retried like sends and
// complete with exactly one REQUEST_DONE.
public sealed partial class SessionClient
{
    /// <summary>Largest attachment, in bytes (desktop's MAX_ATTACHMENT_FILESIZE_BYTES).</summary>
    public const long MaxAttachmentBytes = LegacyAttachmentCipher.MaxPlaintext;

    /// <summary>Largest encrypted file a download accepts (libsession's largest blob).</summary>
    private const int MaxDownloadBlob = 10_223_616;

    /// <summary>The configured file server (the official one unless the options name another, e.g. LocalNet's).</summary>
    private ServerTarget FileServer => ServerTarget.FromUrl(_options.FileServerUrl, _options.FileServerPublicKey);

    private string SpoolDirectory => Path.Combine(_options.DataDirectory, "spool");

    /// <summary>
    /// Queues a 1:1 message with attachments (and text, which may be empty) and returns its request
    /// id. The files are copied when this returns; each is encrypted with the scheme the official
    /// desktop produces (AES-CBC + HMAC, §8.3), uploaded to the file server through an onion path,
    /// then the message carrying the pointers is stored. REQUEST_DONE follows as for Send.
    /// </summary>
    public ulong Send(string to, string text, IReadOnlyList<AttachmentSource> attachments)
    {
        Live();
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(attachments);
        if (attachments.Count == 0) return Send(to, text);
        if (CommunityAddress.LooksLikeUrl(to)) return SendToRoomWithAttachments(to, text, attachments);
        CheckAttachmentCount(attachments.Count);
        SessionId recipient = Crypto.SessionId.Parse(to, SessionIdPrefix.Standard);
        CheckTextSize(text);
        CheckQueueRoom();

        var job = new UploadJob { Recipient = recipient.ToString(), Text = text };
        try
        {
            foreach (AttachmentSource source in attachments) job.Uploads.Add(Spool(source ?? throw Errors.NullPointer("attachments")));
            ulong id;
            lock (_sendOrder)
            {
                long timestamp = NextSendTimestamp();
                id = StorageCall(() => _store.EnqueueSend(recipient.ToString(), (int)OutboxKind.AttachmentMessage, SealJob(job), timestamp, NowMs()));
            }
            Interlocked.Increment(ref _pendingSends);
            ClientLog.SendQueued(_log, id, recipient.ToShortString());
            WakeOutbox();
            ApproveOnSend(recipient);
            return id;
        }
        catch
        {
            foreach (PendingUpload u in job.Uploads) DeleteQuietly(u.SpoolPath);
            throw;
        }
    }

    /// <summary>
    /// Downloads an attachment or avatar (from an event) into <paramref name="destinationPath"/> and
    /// returns the request id. The file is fetched through an onion path, checked (size, digest, MAC)
    /// and decrypted into a temporary file beside the destination, which is renamed into place only
    /// when complete: REQUEST_DONE (status OK) means the verified file is there. A file the server no
    /// longer has completes with SESSION_E_NOT_FOUND ("attachment.expired"); a bad digest, MAC or
    /// truncated file with SESSION_E_CRYPTO. Survives restarts (the download starts over).
    /// </summary>
    public ulong Download(Attachment attachment, string destinationPath)
    {
        Live();
        ArgumentNullException.ThrowIfNull(attachment);
        ArgumentNullException.ThrowIfNull(destinationPath);
        if (destinationPath.Length == 0) throw Errors.InvalidArgument("attachment.bad_path", "a destination path is required");
        string full = Path.GetFullPath(destinationPath);
        string? directory = Path.GetDirectoryName(full);
        if (directory is null || !Directory.Exists(directory))
            throw Errors.InvalidArgument("attachment.bad_path", "the destination's directory does not exist");
        if (Directory.Exists(full)) throw Errors.InvalidArgument("attachment.bad_path", "the destination is a directory");
        // A URL no server can answer fails here, on the caller's thread.
        if (RoomFileUrls.TryParse(attachment.Url, out _)) StorageCall(() => RoomOfFile(attachment.Url));
        else FileServerUrls.Resolve(attachment.Url, FileServer);
        if (Volatile.Read(ref _pendingSends) >= _options.MaxPendingSends)
            throw new SessionException(SessionStatus.EQueueFull, "send.queue_full", "too many requests are waiting; retry later");
        var job = new DownloadJob { Attachment = attachment.Stored, DestPath = full };
        ulong id = StorageCall(() => _store.EnqueueWork(full, (int)OutboxKind.Download, SealJob(job), NowMs(), NowMs()));
        Interlocked.Increment(ref _pendingSends);
        WakeOutbox();
        return id;
    }

    /// <summary>
    /// Sets the profile picture: it is encrypted under a new random profile key (AES-256-GCM, as
    /// desktop does), uploaded through an onion path, then put in the profile config (synced to the
    /// account's other devices) and sent with later messages. Returns the request id; REQUEST_DONE
    /// follows once the picture is the profile's. null removes the picture at once (returns 0).
    /// </summary>
    public ulong SetAvatar(AttachmentSource? picture)
    {
        Live();
        if (picture is null)
        {
            _config.Edit(c => c.Profile.SetPicture(null));
            return 0;
        }
        PendingUpload spooled = Spool(picture);
        try
        {
            var profileKey = new byte[ProfilePictureCipher.KeyBytes];
            Primitives.RandomBytes(profileKey);
            var job = new AvatarJob { SpoolPath = spooled.SpoolPath, ProfileKey = ByteString.CopyFrom(profileKey) };
            Interop.LibSodium.Zero(profileKey);
            ulong id = StorageCall(() => _store.EnqueueWork("avatar", (int)OutboxKind.Avatar, SealJob(job), NowMs(), NowMs()));
            Interlocked.Increment(ref _pendingSends);
            WakeOutbox();
            return id;
        }
        catch
        {
            DeleteQuietly(spooled.SpoolPath);
            throw;
        }
    }

    /// <summary>Our profile picture as messages carry it, or null.</summary>
    private ProfilePicture? AvatarToSend() => _config.Read(c => c.Profile.Picture);

    // ------------------------------------------------------------------ outbox steps

    /// <summary>Uploads what is not yet uploaded (progress saved after each file), then stores the message.</summary>
    private async Task<string> SendAttachmentMessageAsync(OutboxEntry entry, CancellationToken token)
    {
        UploadJob job = OpenJob(UploadJob.Parser, entry.Payload);
        if (job.Encoded.Length == 0)
        {
            foreach (PendingUpload upload in job.Uploads.Where(u => u.Uploaded is null))
            {
                upload.Uploaded = await UploadAttachmentAsync(upload, token).ConfigureAwait(false);
                _store.UpdateOutboxPayload(entry.RequestId, SealJob(job));
            }
            // Built as a text is (profile with its update time, the two disappearing fields "off"), plus the pointers.
            Content text = ChatContent.Text(job.Text, 0, null, ProfileToSend(), Expiry.Off);
            Content content = AttachmentContent.WithAvatar(AttachmentContent.WithAttachments(text, job.Uploads.Select(u => u.Uploaded)), AvatarToSend());
            SessionId recipient = Crypto.SessionId.Parse(job.Recipient, SessionIdPrefix.Standard);
            // Fixed from here on: a retry stores the same bytes (the swarm and the recipient de-duplicate).
            job.Encoded = Protocol.MessageCodec.EncodeForRecipient(_identity, recipient, content, entry.TimestampMs);
            _store.UpdateOutboxPayload(entry.RequestId, SealJob(job));
        }
        StoreResult stored = await _network!.StoreAsync(job.Recipient, 0, job.Encoded, MessageTtlMs, token).ConfigureAwait(false);
        return stored.Hash ?? "";
    }

    private async Task<AttachmentRef> UploadAttachmentAsync(PendingUpload upload, CancellationToken token)
    {
        byte[] blob, key, digest;
        using (FileStream file = OpenSpool(upload.SpoolPath))
            (blob, key, digest) = LegacyAttachmentCipher.Encrypt(file, file.Length);
        string fileId = await UploadBlobAsync(blob, token).ConfigureAwait(false);
        return new AttachmentRef
        {
            Url = FileServerUrls.UrlFor(fileId),
            ContentType = upload.ContentType,
            Size = upload.Size,
            FileName = upload.FileName,
            Key = ByteString.CopyFrom(key),
            Digest = ByteString.CopyFrom(digest),
            Width = upload.Width,
            Height = upload.Height,
        };
    }

    /// <summary>POST /file through an onion path; the server's id for the blob.</summary>
    private async Task<string> UploadBlobAsync(byte[] blob, CancellationToken token)
    {
        var headers = new Dictionary<string, string>
        {
            ["Content-Type"] = "application/octet-stream",
            ["Content-Disposition"] = "attachment",
        };
        ServerResponse response = await _network!.SendToServerAsync(FileServer, new ServerRequest("POST", "/file", headers, blob), token).ConfigureAwait(false);
        switch (response.Code)
        {
            case 200:
                break;
            case 413:
                throw Errors.Remote("attachment.too_large_for_server", "the file server refused the file as too large (413)");
            case >= 500:
                throw Errors.Network("network.server_error", $"the file server answered {response.Code}");
            default:
                throw Errors.Remote("attachment.upload_refused", $"the file server answered {response.Code}");
        }
        using JsonDocument json = JsonDocument.Parse(response.Body);
        // Newer servers answer a string id, older ones an integer.
        JsonElement id = json.RootElement.GetProperty("id");
        return id.ValueKind == JsonValueKind.Number ? id.GetRawText() : id.GetString() ?? throw new FormatException("no file id");
    }

    /// <summary>Fetches, checks and decrypts one file into place (a temporary file renamed when complete).</summary>
    private async Task<string> DownloadStepAsync(OutboxEntry entry, CancellationToken token)
    {
        DownloadJob job = OpenJob(DownloadJob.Parser, entry.Payload);
        if (RoomFileUrls.TryParse(job.Attachment.Url, out _)) return await DownloadRoomFileAsync(job, entry.RequestId, token).ConfigureAwait(false);
        var (server, endpoint, deterministic) = FileServerUrls.Resolve(job.Attachment.Url, FileServer);
        ServerResponse response = await _network!.SendToServerAsync(server, new ServerRequest("GET", endpoint), token).ConfigureAwait(false);
        switch (response.Code)
        {
            case 200:
                break;
            case 404:
                throw Errors.NotFound("attachment.expired", "the file server no longer has this file (attachments expire after about three weeks)");
            case >= 500:
                throw Errors.Network("network.server_error", $"the file server answered {response.Code}");
            default:
                throw Errors.Remote("attachment.download_refused", $"the file server answered {response.Code}");
        }
        if (response.Body.Length > MaxDownloadBlob)
            throw Errors.TooLarge("attachment.too_large", $"the downloaded file is over {MaxDownloadBlob} bytes");
        WriteVerified(job, response.Body, deterministic, entry.RequestId);
        return "";
    }

    /// <summary>
    /// Writes a downloaded file into place. <paramref name="roomFile"/>: a room file, stored as it is
    /// (trailing zero padding beyond the pointer's size is dropped, as the apps strip it).
    /// </summary>
    private static void WriteVerified(DownloadJob job, byte[] blob, bool deterministic, ulong requestId, bool roomFile = false)
    {
        AttachmentRef a = job.Attachment;
        string temp = $"{job.DestPath}.{requestId}.part";
        try
        {
            using (var output = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                long written;
                if (roomFile)
                    written = WritePlain(blob, a.Size, output);
                else if (a.IsAvatar && !deterministic)
                {
                    byte[] plain = ProfilePictureCipher.Decrypt(blob, a.Key.Span);
                    output.Write(plain);
                    written = plain.Length;
                    Array.Clear(plain);
                }
                else if (a.Key.Length == StreamAttachmentCipher.KeyBytes)
                {
                    if (!a.Digest.IsEmpty && !System.Security.Cryptography.SHA256.HashData(blob).AsSpan().SequenceEqual(a.Digest.Span))
                        throw Errors.Crypto("attachment.bad_digest", "the downloaded attachment does not match its digest");
                    written = StreamAttachmentCipher.Decrypt(blob, a.Key.Span, output);
                }
                else
                    written = LegacyAttachmentCipher.Decrypt(blob, a.Key.Span, a.Digest.Span, (long)a.Size, output);
                if (a.Size > 0 && (ulong)written != a.Size)
                    throw Errors.Crypto("attachment.bad_size", $"the attachment decrypted to {written} bytes, not the {a.Size} its pointer says");
                output.Flush(flushToDisk: true);
            }
            File.Move(temp, job.DestPath, overwrite: true);
        }
        catch (IOException e)
        {
            DeleteQuietly(temp);
            throw Errors.InvalidArgument("attachment.cannot_write", $"the downloaded file could not be written: {e.GetType().Name}");
        }
        catch (UnauthorizedAccessException)
        {
            DeleteQuietly(temp);
            throw Errors.InvalidArgument("attachment.cannot_write", "the destination is not writable");
        }
        catch
        {
            DeleteQuietly(temp);
            throw;
        }
    }

    private static long WritePlain(byte[] blob, ulong size, Stream output)
    {
        int length = blob.Length;
        if (size > 0 && size < (ulong)blob.Length && blob.AsSpan((int)size).IndexOfAnyExcept((byte)0) < 0) length = (int)size;
        output.Write(blob, 0, length);
        return length;
    }

    /// <summary>Encrypts and uploads the avatar, then makes it the profile's picture.</summary>
    private async Task<string> SetAvatarStepAsync(OutboxEntry entry, CancellationToken token)
    {
        AvatarJob job = OpenJob(AvatarJob.Parser, entry.Payload);
        byte[] plain = await File.ReadAllBytesAsync(job.SpoolPath, token).ConfigureAwait(false);
        byte[] blob = ProfilePictureCipher.Encrypt(plain, job.ProfileKey.Span);
        Array.Clear(plain);
        string fileId = await UploadBlobAsync(blob, token).ConfigureAwait(false);
        var picture = new ProfilePicture(FileServerUrls.UrlFor(fileId), job.ProfileKey.ToByteArray());
        _config.Edit(c => c.Profile.SetPicture(picture));
        return "";
    }

    /// <summary>What a finished attachment row leaves behind: its spooled copies.</summary>
    private void CleanUpAfter(OutboxEntry entry)
    {
        try
        {
            switch ((OutboxKind)entry.Kind)
            {
                case OutboxKind.AttachmentMessage or OutboxKind.RoomAttachmentPost:
                    foreach (PendingUpload u in OpenJob(UploadJob.Parser, entry.Payload).Uploads) DeleteQuietly(u.SpoolPath);
                    break;
                case OutboxKind.Avatar:
                    DeleteQuietly(OpenJob(AvatarJob.Parser, entry.Payload).SpoolPath);
                    break;
            }
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or SessionException)
        {
            // nothing to clean from a row we cannot read
        }
    }

    // Job payloads hold the message text and the attachment keys: sealed at rest like event text.
    private byte[] SealJob(IMessage job) => _store.Sealer!.Seal(job.ToByteArray());

    private T OpenJob<T>(MessageParser<T> parser, byte[] payload) where T : IMessage<T> => parser.ParseFrom(_store.Sealer!.Open(payload));

    // ------------------------------------------------------------------ spooling

    /// <summary>
    /// Copies an attachment into the data directory (mode 0600) so the message does not depend on
    /// the caller's file staying put; reads its type and image size.
    /// </summary>
    private PendingUpload Spool(AttachmentSource source)
    {
        long size = source.FilePath is { } path
            ? (File.Exists(path) ? new FileInfo(path).Length : throw Errors.NotFound("attachment.no_file", "the attachment file does not exist"))
            : source.Data.Length;
        if (size > MaxAttachmentBytes)
            throw Errors.TooLarge("attachment.too_large", $"an attachment is at most {MaxAttachmentBytes} bytes");
        Directory.CreateDirectory(SpoolDirectory);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(SpoolDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string spool = Path.Combine(SpoolDirectory, Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()));
        try
        {
            using (var output = new FileStream(spool, FileMode.CreateNew, FileAccess.Write))
            {
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(output.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                if (source.FilePath is { } from)
                {
                    using FileStream input = File.OpenRead(from);
                    input.CopyTo(output);
                }
                else output.Write(source.Data.Span);
            }
            var head = new byte[Math.Min(65_536, new FileInfo(spool).Length)];
            using (FileStream check = File.OpenRead(spool)) check.ReadExactly(head);
            var (width, height) = MediaInfo.ImageSize(head);
            return new PendingUpload
            {
                SpoolPath = spool,
                FileName = source.FileName,
                ContentType = source.ContentType ?? MediaInfo.ContentTypeOf(source.FileName),
                Size = (ulong)new FileInfo(spool).Length,
                Width = width,
                Height = height,
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DeleteQuietly(spool);
            throw Errors.Storage("attachment.spool_failed", $"the attachment could not be copied: {e.GetType().Name}", e);
        }
    }

    private static FileStream OpenSpool(string path)
    {
        try
        {
            return File.OpenRead(path);
        }
        catch (FileNotFoundException)
        {
            throw Errors.NotFound("attachment.spool_missing", "the copy of the attachment taken at send time is gone");
        }
    }

    private static void DeleteQuietly(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* best effort: a stray temp file */ }
    }
}
