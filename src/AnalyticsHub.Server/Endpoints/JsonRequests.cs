using System.Buffers;
using AnalyticsHub.Core.Query;
using AnalyticsHub.Server.Query;

namespace AnalyticsHub.Server.Endpoints;

/// <summary>What the JSON request endpoints (query, forecast) share: a body read up to a limit, and error answers in the API's shape.</summary>
internal static class JsonRequests
{
    /// <summary>
    /// The JSON body of <paramref name="context"/>'s request, or null once the request has been answered 415 (not JSON) or
    /// 413 (over <paramref name="maxBytes"/>, "a <paramref name="what"/> body is at most …; <paramref name="advice"/>").
    /// </summary>
    public static async Task<ReadOnlyMemory<byte>?> ReadJsonBodyAsync(HttpContext context, int maxBytes, string what, string advice, long began)
    {
        var request = context.Request;
        if (request.ContentType is { } type && !type.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            await WriteErrorAsync(context, StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", $"Send application/json, not '{type}'.", null, Elapsed(began)).ConfigureAwait(false);
            return null;
        }
        var body = await ReadBodyAsync(request, maxBytes, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, "too_large", $"A {what} body is at most {maxBytes:N0} bytes; {advice}.", null, Elapsed(began)).ConfigureAwait(false);
        }
        return body;
    }

    /// <summary>Milliseconds since the <see cref="System.Diagnostics.Stopwatch"/> timestamp <paramref name="began"/> (0 when not given).</summary>
    public static double Elapsed(long began) => began == 0 ? 0 : System.Diagnostics.Stopwatch.GetElapsedTime(began).TotalMilliseconds;

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
    public static Task WriteErrorAsync(HttpContext context, int status, string code, string message, IReadOnlyList<QueryError>? details, double tookMs) =>
        WriteJsonAsync(context, status, output => QueryJsonWriter.WriteError(output, code, message, details, tookMs));

    /// <summary>Answers <paramref name="status"/> with the JSON <paramref name="write"/> produces (buffered: answers of bounded size).</summary>
    public static async Task WriteJsonAsync(HttpContext context, int status, Action<IBufferWriter<byte>> write)
    {
        var output = new ArrayBufferWriter<byte>(4096);
        write(output);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.WriteAsync(output.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }
}
