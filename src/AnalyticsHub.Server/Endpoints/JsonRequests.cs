using System.Buffers;
using AnalyticsHub.Core.Query;
using AnalyticsHub.Server.Query;

namespace AnalyticsHub.Server.Endpoints;

/// <summary>What the JSON request endpoints (query, forecast) share: a body read up to a limit, and error answers in the API's shape.</summary>
internal static class JsonRequests
{
    /// <summary>The whole body, or null when it is (or announces itself) larger than <paramref name="maxBytes"/>: refused before it is buffered.</summary>
    public static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (read.Buffer.Length > maxBytes)
            {
                reader.AdvanceTo(read.Buffer.End);
                return null;
            }
            if (read.IsCompleted)
            {
                var bytes = read.Buffer.ToArray();
                reader.AdvanceTo(read.Buffer.End);
                return bytes;
            }
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    /// <summary>Answers <paramref name="status"/> with <c>{"status": "error", "error": {code, message, details}, …}</c>.</summary>
    public static async Task WriteErrorAsync(HttpContext context, int status, string code, string message, IReadOnlyList<QueryError>? details, double tookMs)
    {
        var output = new ArrayBufferWriter<byte>(512);
        QueryJsonWriter.WriteError(output, code, message, details, tookMs);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.WriteAsync(output.WrittenMemory).ConfigureAwait(false);
    }
}
