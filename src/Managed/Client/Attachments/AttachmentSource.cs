namespace SessionInterop.Client;

/// <summary>An attachment to send: a file (copied when the message is accepted) or bytes.</summary>
public sealed class AttachmentSource
{
    private AttachmentSource(string? path, ReadOnlyMemory<byte> data, string fileName, string? contentType)
    {
        FilePath = path;
        Data = data;
        FileName = fileName;
        ContentType = contentType;
    }

    internal string? FilePath { get; }

    internal ReadOnlyMemory<byte> Data { get; }

    internal string FileName { get; }

    internal string? ContentType { get; }

    /// <summary>A file; its name is sent unless <paramref name="fileName"/> replaces it; the type is guessed from the name when not given.</summary>
    public static AttachmentSource FromFile(string path, string? fileName = null, string? contentType = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new AttachmentSource(path, default, fileName ?? Path.GetFileName(path), contentType);
    }

    /// <summary>Bytes, sent under <paramref name="fileName"/> ("" for none).</summary>
    public static AttachmentSource FromBytes(ReadOnlyMemory<byte> data, string fileName = "", string? contentType = null) =>
        new(null, data, fileName ?? "", contentType);
}
