using Google.Protobuf;
using SessionInterop.Config;
using SessionInterop.Protocol.Protos;
using SessionInterop.State.Stored;

namespace SessionInterop.Client.Attachments;

/// <summary>
/// Attachment pointers and profile pictures in Content (protocol-crypto.md §5): built for sending,
/// read into event details on receipt.
/// </summary>
internal static class AttachmentContent
{
    /// <summary>Most attachments one message may carry (desktop shows at most 32).</summary>
    public const int MaxPerMessage = 32;

    /// <summary>A visible message's content (ChatContent.Text) with the pointers added.</summary>
    public static Content WithAttachments(Content content, IEnumerable<AttachmentRef> attachments)
    {
        DataMessage data = content.DataMessage;
        if (data.Body.Length == 0) data.ClearBody(); // attachments only: no body, as desktop sends them
        foreach (AttachmentRef a in attachments) data.Attachments.Add(ToPointer(a));
        return content;
    }

    /// <summary>Adds our profile picture (URL in the profile, key in profileKey), as the apps send it with visible messages.</summary>
    public static Content WithAvatar(Content content, ProfilePicture? picture)
    {
        if (picture is not { IsSet: true } || content.DataMessage is not { } data) return content;
        data.Profile ??= new LokiProfile();
        data.Profile.ProfilePicture = picture.Url;
        data.ProfileKey = ByteString.CopyFrom(picture.Key);
        return content;
    }

    private static AttachmentPointer ToPointer(AttachmentRef a)
    {
        // id is required on the wire (desktop's deprecated_id): numeric server ids go there, newer ids give 0.
        ulong.TryParse(State.Attachment.FileId(a.Url), out ulong numericId);
        var pointer = new AttachmentPointer
        {
            Id = numericId,
            ContentType = a.ContentType,
            Size = (uint)a.Size,
            Url = a.Url,
        };
        // Room files are stored as they are: desktop's pointers to them carry no key and no digest.
        if (!a.Key.IsEmpty) pointer.Key = a.Key;
        if (!a.Digest.IsEmpty) pointer.Digest = a.Digest;
        if (a.FileName.Length > 0) pointer.FileName = a.FileName;
        if (a.Width > 0 && a.Height > 0)
        {
            pointer.Width = a.Width;
            pointer.Height = a.Height;
        }
        if (a.Flags != 0) pointer.Flags = a.Flags;
        return pointer;
    }

    /// <summary>
    /// The attachments of a received message (pointers without a URL or key are dropped: nothing
    /// could fetch them) and the sender's avatar when the profile carries one with a 32-byte key.
    /// In a room post (<paramref name="roomPost"/>) a keyless pointer to a room file is kept: room
    /// files are not encrypted.
    /// </summary>
    public static (List<AttachmentRef> Attachments, AttachmentRef? Avatar) Read(Content content, bool roomPost = false)
    {
        var list = new List<AttachmentRef>();
        if (content.DataMessage is not { } data) return (list, null);
        foreach (AttachmentPointer p in data.Attachments.Take(MaxPerMessage))
        {
            if (!p.HasUrl || p.Url.Length == 0) continue;
            bool plainRoomFile = roomPost && p.Key.IsEmpty && RoomFileUrls.TryParse(p.Url, out _);
            if (!plainRoomFile && p.Key.Length is not (32 or 64)) continue;
            list.Add(new AttachmentRef
            {
                Url = p.Url,
                ContentType = p.ContentType,
                Size = p.Size,
                FileName = p.FileName,
                Key = p.Key,
                Digest = p.Digest,
                Width = p.Width,
                Height = p.Height,
                Flags = p.Flags,
                Caption = p.Caption,
            });
        }
        AttachmentRef? avatar = data.Profile is { ProfilePicture.Length: > 0 } profile && data.ProfileKey.Length == 32
            ? new AttachmentRef { Url = profile.ProfilePicture, Key = data.ProfileKey, IsAvatar = true }
            : null;
        return (list, avatar);
    }
}
