using SessionInterop.Protocol.Protos;

namespace SessionInterop.Client;

/// <summary>
/// The Content of a text message. A non-empty text is the apps' visible message; an empty text is
/// still carried (an explicitly present, empty body) so that a library user can send one, though
/// the official apps do not display it.
/// </summary>
internal static class TextContent
{
    internal static Content Build(string text, string? displayName) =>
        text.Length > 0
            ? Protocol.Messages.Text(text, displayName)
            : new Content { DataMessage = new DataMessage { Body = "" } };

    /// <summary>The text of a received Content, or null when it is not a text message.</summary>
    internal static string? TextOf(Content content) =>
        content.DataMessage is { HasBody: true } data && data.Flags == 0 ? data.Body : null;
}
