using System.Text;
using System.Text.Json;
using SessionInterop.State;

namespace SessionInterop.Cli;

/// <summary>Formats events for `session listen`: one JSON object per line, or one human line.</summary>
internal static class EventJson
{
    /// <summary>"request_done" for EventType.RequestDone; numbers for types this build does not know.</summary>
    internal static string TypeName(EventType type)
    {
        string name = type.ToString();
        if (name.Length > 0 && char.IsDigit(name[0])) return name;
        var sb = new StringBuilder();
        foreach (char c in name)
        {
            if (char.IsUpper(c) && sb.Length > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    internal static string Line(SessionEvent e)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", TypeName(e.Type));
            w.WriteString("sender", e.Sender);
            w.WriteString("text", Encoding.UTF8.GetString(e.Text));
            w.WriteString("conversation", e.Conversation);
            w.WriteString("message_id", e.MessageId);
            w.WriteNumber("timestamp_ms", e.TimestampMs);
            if (e.RequestId != 0) w.WriteNumber("request_id", e.RequestId);
            if (e.Type == EventType.RequestDone) w.WriteString("status", e.Status.ToString());
            if (e.ErrorCode.Length > 0) w.WriteString("error_code", e.ErrorCode);
            if (e.Value != 0) w.WriteNumber("value", e.Value);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>A line for people: messages as "sender: text", other events in brackets.</summary>
    internal static string Human(SessionEvent e) => e.Type switch
    {
        EventType.Message => $"{e.Sender}: {Encoding.UTF8.GetString(e.Text)}",
        EventType.RequestDone => $"[request {e.RequestId}: {e.Status}{(e.ErrorCode.Length > 0 ? " " + e.ErrorCode : "")}]",
        _ => $"[{TypeName(e.Type)}{(e.Value != 0 ? " " + e.Value : "")}{(e.Text.Length > 0 ? " " + Encoding.UTF8.GetString(e.Text) : "")}]",
    };
}
