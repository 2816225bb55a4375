using System.Text;
using Microsoft.AspNetCore.Http;

namespace SessionInterop.LocalNet.Hosting;

// Small request/response helpers shared by the endpoints.
internal static class Http
{
    /// <summary>Real storage servers refuse bodies over 10 MiB with 413 (§1).</summary>
    internal const int MaxRequestBody = 10 * 1024 * 1024;

    internal static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        return buffer.ToArray();
    }

    internal static Task WriteTextAsync(HttpContext context, int status, string text) =>
        WriteAsync(context, status, "text/plain", Encoding.UTF8.GetBytes(text));

    internal static async Task WriteAsync(HttpContext context, int status, string contentType, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }
}
