using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SessionInterop.NativeExports.Abi;

namespace SessionInterop.NativeExports.Exports;

/// <summary>
/// Attachments and profile pictures (files on the file server, reached through onion paths).
/// Sending: session_send_ex with attachments; each file is copied before the call returns, then
/// encrypted as the official desktop encrypts it, uploaded and sent. Receiving: MESSAGE events
/// carry attachments (and the sender's avatar); nothing is downloaded until you call
/// session_download. Largest attachment: 10,000,000 bytes.
/// </summary>
[CSection(82, "Attachments and profile pictures")]
internal static unsafe class AttachmentExports
{
    /// <summary>
    /// Queues a message to the Session ID to: message->kind SESSION_MESSAGE_TEXT with text (may be
    /// empty when there are attachments) and up to 32 attachments (files or bytes, each at most
    /// 10,000,000 bytes; copied before this returns). Reply, reaction and expiry fields must be 0
    /// (SESSION_E_UNSUPPORTED otherwise). Validates here (a missing file: SESSION_E_NOT_FOUND; too
    /// large: SESSION_E_TOO_LARGE), never waits for the network; *out_request receives the request
    /// id, and one REQUEST_DONE follows once the files are uploaded and the message stored.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_send_ex", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int SendEx([CType("session_client*")] nint client, [CType("const char*")] byte* to,
        [CType("const session_message*")] SessionMessageRecord* message, ulong* out_request)
    {
        try
        {
            if (out_request != null) *out_request = 0;
            ClientHandle handle = Handles.Clients.Get(client);
            if (out_request == null) throw Errors.NullPointer(nameof(out_request));
            string recipient = Utf8.ReadRequired(to, nameof(to));
            SessionMessageRecord m = MessageRecords.Read(message, nameof(message));
            if (m.kind != (int)NativeMessageKind.Text) throw Errors.Unsupported("send.unknown_kind", "only SESSION_MESSAGE_TEXT is supported");
            if (m.ref_timestamp_ms != 0 || m.ref_author != null || m.emoji != null || m.expiry_type != 0 || m.expiry_seconds != 0)
                throw Errors.Unsupported("send.unsupported_field", "replies, reactions and disappearing messages are not supported by session_send_ex yet");
            if (m.flags != 0) throw Errors.Unsupported("send.unknown_flags", "no message flags are defined; pass 0");
            if (m.text_len > Client.SessionClient.MaxTextBytes) throw Errors.TooLarge("message.too_large", $"text is over {Client.SessionClient.MaxTextBytes} bytes");
            string text = Utf8.ReadSpan(m.text, m.text_len, "text");
            if (m.attachment_count > 32) throw Errors.TooLarge("attachment.too_many", "a message carries at most 32 attachments");
            if (m.attachment_count > 0 && m.attachments == null) throw Errors.NullPointer("attachments");
            var sources = new List<Client.AttachmentSource>();
            for (nuint i = 0; i < m.attachment_count; i++)
            {
                // Records are the caller's sizeof(session_attachment_source) apart.
                uint stride = m.attachments->struct_size;
                if (stride < sizeof(uint)) throw Errors.InvalidArgument("abi.bad_struct_size", "set attachments[i].struct_size = sizeof(session_attachment_source)");
                sources.Add(MessageRecords.Source((SessionAttachmentSourceRecord*)((byte*)m.attachments + stride * i), "attachments[i]"));
            }
            *out_request = handle.Client.Send(recipient, text, sources);
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// Downloads an attachment or avatar of an event (or your copy of one: url, key, digest, size
    /// and is_avatar are what count) into dest_path. flags must be 0. Returns at once with the
    /// request id; the file is fetched through an onion path, checked (size, digest, MAC),
    /// decrypted into a temporary file beside dest_path and renamed to dest_path when complete:
    /// REQUEST_DONE with SESSION_OK means the verified file is in place. An expired file completes
    /// with SESSION_E_NOT_FOUND ("attachment.expired"), a bad digest, MAC, size or truncated file
    /// with SESSION_E_CRYPTO; nothing is then left at dest_path. Queued downloads survive restarts.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_download", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int Download([CType("session_client*")] nint client, [CType("const session_attachment*")] SessionAttachmentRecord* attachment,
        [CType("const char*")] byte* dest_path, uint flags, ulong* out_request)
    {
        try
        {
            if (out_request != null) *out_request = 0;
            ClientHandle handle = Handles.Clients.Get(client);
            if (out_request == null) throw Errors.NullPointer(nameof(out_request));
            if (flags != 0) throw Errors.Unsupported("download.unknown_flags", "no download flags are defined; pass 0");
            State.Attachment a = MessageRecords.Attachment(attachment);
            *out_request = handle.Client.Download(a, Utf8.ReadRequired(dest_path, nameof(dest_path)));
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// Sets your profile picture (a file or bytes, copied before this returns): it is encrypted
    /// under a new profile key, uploaded, put in your profile (synced to your other devices) and
    /// sent with your later messages. *out_request receives the request id; REQUEST_DONE follows
    /// once it is your picture. picture == NULL removes the picture at once (*out_request = 0).
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_set_avatar", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int SetAvatar([CType("session_client*")] nint client, [CType("const session_attachment_source*")] SessionAttachmentSourceRecord* picture,
        ulong* out_request)
    {
        try
        {
            if (out_request != null) *out_request = 0;
            ClientHandle handle = Handles.Clients.Get(client);
            if (out_request == null) throw Errors.NullPointer(nameof(out_request));
            Client.AttachmentSource? source = picture == null ? null : MessageRecords.Source(picture, nameof(picture));
            *out_request = handle.Client.SetAvatar(source);
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// The file server for attachments and avatars: url (http://HOST:PORT/) and its X25519 key (64
    /// hex). The default is the official one; use the FILE_SERVER_URL and FILE_SERVER_PUBKEY a LocalNet
    /// prints. Attachment URLs naming the official server's host are then fetched from this server.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_options_set_file_server", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int SetFileServer([CType("session_options*")] nint options, [CType("const char*")] byte* url, [CType("const char*")] byte* pubkey_hex)
    {
        try
        {
            OptionsBuilder o = OptionsOps.Get(options);
            string server = Utf8.ReadRequired(url, nameof(url));
            byte[] key = Args.HexKey(pubkey_hex, nameof(pubkey_hex));
            Network.Client.ServerTarget.FromUrl(server, Convert.ToHexStringLower(key)); // a bad URL fails here
            o.FileServerUrl = server;
            o.FileServerPublicKey = Convert.ToHexStringLower(key);
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }
}
