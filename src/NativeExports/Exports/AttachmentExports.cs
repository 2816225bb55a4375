using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SessionInterop.NativeExports.Abi;

namespace SessionInterop.NativeExports.Exports;

/// <summary>
/// Attachments and profile pictures (files on the file server, reached through onion paths).
/// Sending: session_send_ex (TEXT) with attachments; each file is copied before the call returns, then
/// encrypted as the official desktop encrypts it, uploaded and sent. Receiving: MESSAGE events
/// carry attachments (and the sender's avatar); nothing is downloaded until you call
/// session_download. Largest attachment: 10,000,000 bytes.
/// </summary>
[CSection(82, "Attachments and profile pictures")]
internal static unsafe class AttachmentExports
{
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
