using System.Text;
using System.Text.Json;
using SessionInterop.Client.Attachments;
using SessionInterop.Client.Attachments.Stored;
using SessionInterop.Network.Client;
using SessionInterop.Protocol;
using SessionInterop.Protocol.Protos;
using SessionInterop.State;
using SessionInterop.State.Stored;

namespace SessionInterop.Client;

// Room files (SOGS file endpoints): a room post's attachments are uploaded to the room itself with
// POST /room/T/file through onion v4 and our blinded auth, as they are (desktop neither encrypts nor
// pads them: everyone in the room may read them), and the post lists their ids in `files` so the
// server keeps them 15 days instead of 1 hour. Downloads GET /room/T/file/ID, authenticated.
public sealed partial class SessionClient
{
    /// <summary>Queues a room post with attachments (Send routes here for a room id).</summary>
    private ulong SendToRoomWithAttachments(string to, string text, IReadOnlyList<AttachmentSource> attachments)
    {
        CommunityAddress address = CommunityAddress.Parse(to);
        if (address.IsDirect)
            throw Errors.Unsupported("attachment.community_dm", "attachments in blinded DMs are not supported yet");
        string destination = address.ToString();
        if (!StorageCall(() => _store.Communities().Any(c => c.Id == destination)))
            throw Errors.NotFound("community.not_joined", "join the community before posting to it");
        CheckAttachmentCount(attachments.Count);
        CheckTextSize(text);
        CheckQueueRoom();

        var job = new UploadJob { Recipient = destination, Text = text };
        try
        {
            foreach (AttachmentSource source in attachments) job.Uploads.Add(Spool(source ?? throw Errors.NullPointer("attachments")));
            ulong id;
            lock (_sendOrder)
            {
                long timestamp = NextSendTimestamp();
                id = StorageCall(() => _store.EnqueueSend(destination, (int)OutboxKind.RoomAttachmentPost, SealJob(job), timestamp, NowMs()));
            }
            Interlocked.Increment(ref _pendingSends);
            ClientLog.SendQueued(_log, id, "community " + address.Room);
            WakeOutbox();
            return id;
        }
        catch
        {
            foreach (PendingUpload u in job.Uploads) DeleteQuietly(u.SpoolPath);
            throw;
        }
    }

    /// <summary>Uploads what is not yet in the room (progress saved after each file), then posts; the post's id.</summary>
    private async Task<string> SendRoomAttachmentPostAsync(OutboxEntry entry, CancellationToken token)
    {
        UploadJob job = OpenJob(UploadJob.Parser, entry.Payload);
        CommunityAddress room = CommunityAddress.Parse(job.Recipient);
        if (job.Encoded.Length == 0)
        {
            foreach (PendingUpload upload in job.Uploads.Where(u => u.Uploaded is null))
            {
                upload.Uploaded = await UploadRoomFileAsync(room, upload, token).ConfigureAwait(false);
                _store.UpdateOutboxPayload(entry.RequestId, SealJob(job));
            }
            Content content = AttachmentContent.WithAttachments(TextContent.Build(job.Text, NameToSend()), job.Uploads.Select(u => u.Uploaded));
            CommunityPost post = CommunityMessages.EncodePost(_identity, room.ServerPublicKey, content, entry.TimestampMs);
            // Fixed from here on: a retry posts the same signed bytes.
            job.Encoded = Encoding.UTF8.GetString(JsonBody(w =>
            {
                w.WriteString("data", post.Data);
                w.WriteString("signature", post.Signature);
                w.WriteStartArray("files");
                foreach (PendingUpload u in job.Uploads) w.WriteNumberValue(RoomFileId(u.Uploaded.Url));
                w.WriteEndArray();
            }));
            _store.UpdateOutboxPayload(entry.RequestId, SealJob(job));
        }
        ServerResponse response = await SendSignedAsync(room, "POST", $"/room/{room.Room}/message", Encoding.UTF8.GetBytes(job.Encoded), token).ConfigureAwait(false);
        ThrowUnlessSuccess(response);
        return PostedId(response);
    }

    private static long RoomFileId(string url) =>
        RoomFileUrls.TryParse(url, out var parts) ? parts.FileId : throw new InvalidOperationException("an uploaded room file without a room URL");

    /// <summary>POST /room/T/file with the file's bytes as they are; the pointer desktop writes for it (no key, no digest).</summary>
    private async Task<AttachmentRef> UploadRoomFileAsync(CommunityAddress room, PendingUpload upload, CancellationToken token)
    {
        byte[] bytes;
        using (FileStream file = OpenSpool(upload.SpoolPath))
        {
            bytes = new byte[file.Length];
            file.ReadExactly(bytes);
        }
        ServerResponse response = await SendSignedAsync(room, "POST", $"/room/{room.Room}/file", bytes, token).ConfigureAwait(false);
        if (response.Code == 413) throw Errors.Remote("attachment.too_large_for_server", "the community server refused the file as too large (413)");
        ThrowUnlessSuccess(response);
        using JsonDocument json = JsonDocument.Parse(response.Body);
        long id = json.RootElement.GetProperty("id").GetInt64();
        return new AttachmentRef
        {
            Url = RoomFileUrls.UrlFor(room, id),
            ContentType = upload.ContentType,
            Size = upload.Size,
            FileName = upload.FileName,
            Width = upload.Width,
            Height = upload.Height,
        };
    }

    /// <summary>The joined room a room file URL belongs to (its server key signs the download), or an error.</summary>
    private CommunityAddress RoomOfFile(string url)
    {
        if (!RoomFileUrls.TryParse(url, out var parts))
            throw Errors.InvalidArgument("attachment.bad_url", "not a room file URL");
        foreach (var (id, _, _) in _store.Communities())
        {
            CommunityAddress room = CommunityAddress.Parse(id);
            if (room.BaseUrl == parts.BaseUrl && room.Room == parts.Room) return room;
        }
        throw Errors.NotFound("community.not_joined", "join the room an attachment was posted in to download it");
    }

    /// <summary>GET /room/T/file/ID (authenticated) into place; the size the pointer gives is checked.</summary>
    private async Task<string> DownloadRoomFileAsync(DownloadJob job, ulong requestId, CancellationToken token)
    {
        CommunityAddress room = RoomOfFile(job.Attachment.Url);
        RoomFileUrls.TryParse(job.Attachment.Url, out var parts);
        ServerResponse response = await SendSignedAsync(room, "GET", $"/room/{room.Room}/file/{parts.FileId}", null, token).ConfigureAwait(false);
        if (response.Code == 404)
            throw Errors.NotFound("attachment.expired", "the community server no longer has this file (room files expire 15 days after their post)");
        ThrowUnlessSuccess(response);
        if (response.Body.Length > MaxDownloadBlob)
            throw Errors.TooLarge("attachment.too_large", $"the downloaded file is over {MaxDownloadBlob} bytes");
        WriteVerified(job, response.Body, deterministic: false, requestId, roomFile: true);
        return "";
    }

    /// <summary>The server's id in a 2xx reply to a post ("" when the reply cannot be read: the post was taken).</summary>
    private string PostedId(ServerResponse response)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(response.Body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("id", out JsonElement id) ? id.GetRawText() : "";
        }
        catch (JsonException)
        {
            Engine.EngineLog.DroppedItem(_log, OutboxJob, "community.bad_reply");
            return "";
        }
    }
}
