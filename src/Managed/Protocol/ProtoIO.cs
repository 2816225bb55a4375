using Google.Protobuf;

namespace SessionInterop.Protocol;

/// <summary>
/// Parsing helpers that turn protobuf failures into SessionExceptions and enforce proto2
/// `required` fields (including nested ones, see RequiredFields), as the official clients' parsers do.
/// </summary>
internal static class ProtoIO
{
    public static T Parse<T>(MessageParser<T> parser, ReadOnlySpan<byte> bytes, string what, Func<T, bool> requiredFieldsSet) where T : IMessage<T>
    {
        T message;
        try
        {
            message = parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            throw ProtocolErrors.Malformed(what);
        }
        if (!requiredFieldsSet(message))
            throw ProtocolErrors.MissingField($"a required field of the {what}");
        return message;
    }

    public static byte[] FromBase64(string text, string what)
    {
        ArgumentNullException.ThrowIfNull(text);
        try { return Convert.FromBase64String(text); }
        catch (FormatException) { throw Errors.InvalidArgument("message.bad_base64", $"{what} is not valid base64"); }
    }
}
