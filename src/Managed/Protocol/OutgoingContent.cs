using Google.Protobuf;
using SessionInterop.Protocol.Protos;

namespace SessionInterop.Protocol;

/// <summary>
/// The one step every sender shares: stamp Content.sigTimestamp with the sent time (receivers drop
/// a 1:1 message whose sigTimestamp differs from the Envelope timestamp, §6.4), check required
/// fields and size, serialize. The caller's Content is cloned, never mutated.
/// </summary>
internal static class OutgoingContent
{
    public static byte[] Serialize(Content content, long timestampMs, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(content);
        Content stamped = content.Clone();
        stamped.SigTimestamp = ProtocolErrors.CheckTimestamp(timestampMs);
        if (!RequiredFields.Check(stamped))
            throw ProtocolErrors.MissingField("a required field of the content");
        int size = stamped.CalculateSize();
        if (size > maxBytes) throw ProtocolErrors.TooLarge(size, maxBytes);
        return stamped.ToByteArray();
    }
}
