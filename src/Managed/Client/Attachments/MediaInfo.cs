using System.Buffers.Binary;

namespace SessionInterop.Client.Attachments;

/// <summary>
/// What the pointer says about a file besides its bytes: a content type from the file name (the
/// apps send one with every attachment), and image dimensions read from PNG, GIF or JPEG headers.
/// </summary>
internal static class MediaInfo
{
    private static readonly Dictionary<string, string> s_types = new(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = "image/png", [".jpg"] = "image/jpeg", [".jpeg"] = "image/jpeg", [".gif"] = "image/gif",
        [".webp"] = "image/webp", [".mp4"] = "video/mp4", [".webm"] = "video/webm", [".mov"] = "video/quicktime",
        [".mp3"] = "audio/mpeg", [".m4a"] = "audio/mp4", [".ogg"] = "audio/ogg", [".wav"] = "audio/wav",
        [".aac"] = "audio/aac", [".pdf"] = "application/pdf", [".txt"] = "text/plain", [".json"] = "application/json",
        [".zip"] = "application/zip",
    };

    public static string ContentTypeOf(string fileName) =>
        s_types.TryGetValue(Path.GetExtension(fileName), out string? type) ? type : "application/octet-stream";

    /// <summary>Width and height of a PNG, GIF or JPEG image from its first bytes; (0, 0) when unknown.</summary>
    public static (uint Width, uint Height) ImageSize(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 24 && head[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a]))
            return (BinaryPrimitives.ReadUInt32BigEndian(head[16..]), BinaryPrimitives.ReadUInt32BigEndian(head[20..]));
        if (head.Length >= 10 && head[..3].SequenceEqual("GIF"u8))
            return (BinaryPrimitives.ReadUInt16LittleEndian(head[6..]), BinaryPrimitives.ReadUInt16LittleEndian(head[8..]));
        if (head.Length >= 4 && head[0] == 0xff && head[1] == 0xd8)
        {
            // JPEG: walk the segments to the first start-of-frame (SOF0..SOF15 but DHT/JPG/DAC).
            int pos = 2;
            while (pos + 9 < head.Length && head[pos] == 0xff)
            {
                byte marker = head[pos + 1];
                int length = BinaryPrimitives.ReadUInt16BigEndian(head[(pos + 2)..]);
                if (marker is >= 0xc0 and <= 0xcf and not (0xc4 or 0xc8 or 0xcc))
                    return (BinaryPrimitives.ReadUInt16BigEndian(head[(pos + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(head[(pos + 5)..]));
                pos += 2 + length;
            }
        }
        return (0, 0);
    }
}
