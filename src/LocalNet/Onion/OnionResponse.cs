using System.Text;

namespace SessionInterop.LocalNet.Onion;

// What a node writes back on /onion_req/v2: an HTTP status, a content type and the body bytes.
internal sealed record OnionResponse(int Status, string ContentType, byte[] Body)
{
    internal static OnionResponse Text(int status, string text) => new(status, "text/plain", Encoding.UTF8.GetBytes(text));
}
