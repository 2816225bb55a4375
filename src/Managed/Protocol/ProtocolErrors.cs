namespace SessionInterop.Protocol;

/// <summary>Codes for malformed or oversize wire data, so every decoder reports them the same way.</summary>
internal static class ProtocolErrors
{
    public static SessionException Malformed(string what) =>
        Errors.InvalidArgument("message.malformed", $"malformed {what}");

    public static SessionException MissingField(string what) =>
        Errors.InvalidArgument("message.missing_field", $"{what} is missing");

    public static SessionException TooLarge(int size, int limit) =>
        Errors.TooLarge("message.too_large", $"message is {size} bytes, the limit is {limit}");

    /// <summary>Sent timestamps are positive Unix milliseconds.</summary>
    public static ulong CheckTimestamp(long timestampMs) => timestampMs > 0
        ? (ulong)timestampMs
        : throw Errors.InvalidArgument("message.bad_timestamp", "timestamps are positive Unix milliseconds");
}
