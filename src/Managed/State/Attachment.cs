using SessionInterop.State.Stored;

namespace SessionInterop.State;

/// <summary>
/// A received attachment or avatar: what the message says about it and what it takes to download
/// and check it (SessionClient.Download). The key is secret: keep it as you keep the message.
/// </summary>
public sealed class Attachment
{
    internal Attachment(AttachmentRef stored) => Stored = stored;

    internal AttachmentRef Stored { get; }

    /// <summary>Where the encrypted file is: http://filev2.getsession.org/file/&lt;id&gt;, maybe with a #fragment.</summary>
    public string Url => Stored.Url;

    /// <summary>The file server's id of the file (the last part of the URL's path).</summary>
    public string Id => FileId(Stored.Url);

    /// <summary>MIME type the sender gave ("" when none).</summary>
    public string ContentType => Stored.ContentType;

    /// <summary>Plaintext size in bytes (0 when the sender gave none).</summary>
    public long Size => (long)Stored.Size;

    /// <summary>The sender's file name ("" when none). Never use it as a path as it is.</summary>
    public string FileName => Stored.FileName;

    /// <summary>Image dimensions when the sender gave them, else 0.</summary>
    public int Width => (int)Stored.Width;

    /// <summary>Image height when the sender gave it, else 0.</summary>
    public int Height => (int)Stored.Height;

    /// <summary>AttachmentPointer flags (1 = voice message).</summary>
    public uint Flags => Stored.Flags;

    /// <summary>True for a profile picture (ev.avatar), false for a message attachment.</summary>
    public bool IsAvatar => Stored.IsAvatar;

    /// <summary>The decryption key (64 bytes legacy, 32 deterministic or avatar).</summary>
    public ReadOnlyMemory<byte> Key => Stored.Key.Memory;

    /// <summary>SHA-256 of the encrypted file, when the pointer carried one.</summary>
    public ReadOnlyMemory<byte> Digest => Stored.Digest.Memory;

    /// <summary>The id in a file server URL: the path's last segment, without query or fragment.</summary>
    internal static string FileId(string url)
    {
        string path = url;
        int cut = path.IndexOfAny(['#', '?']);
        if (cut >= 0) path = path[..cut];
        return path[(path.LastIndexOf('/') + 1)..];
    }
}
