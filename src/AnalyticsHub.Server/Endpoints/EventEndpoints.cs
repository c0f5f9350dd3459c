using System.Buffers;
using System.IO.Pipelines;
using AnalyticsHub.Server.Configuration;
using AnalyticsHub.Server.Ingestion;
using AnalyticsHub.Server.Tracing;

namespace AnalyticsHub.Server.Endpoints;

/// <summary>
/// <c>POST /api/v1/events</c>: 1–1000 JSON events. 202 with one result per event once the
/// accepted ones are durable; 400 with field errors; 413 above the event or byte limit; 415
/// when not JSON; 429 with Retry-After under backpressure; 503 when the log is unavailable.
/// </summary>
public static class EventEndpoints
{
    public static void MapEventEndpoints(this IEndpointRouteBuilder endpoints, RestOptions rest)
    {
        endpoints.MapPost("/api/v1/events", (HttpContext context, JsonIngestHandler handler) => IngestAsync(context, handler, rest));
    }

    private static async Task IngestAsync(HttpContext context, JsonIngestHandler handler, RestOptions rest)
    {
        var request = context.Request;
        var response = context.Response;
        using var span = IngestSpan.Start(IngestSpan.Rest, RequestTraceContext.ParentOf(request.Headers));
        if (request.ContentType is { } type && !type.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            await RefuseAsync(response, span, StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", $"Send application/json, not '{type}'.").ConfigureAwait(false);
            return;
        }
        if (request.ContentLength > rest.MaxBodyBytes)
        {
            await RefuseAsync(response, span, StatusCodes.Status413PayloadTooLarge, "too_large", $"The body is {request.ContentLength:N0} bytes; at most {rest.MaxBodyBytes:N0} are accepted.").ConfigureAwait(false);
            return;
        }

        var body = await ReadBodyAsync(request.BodyReader, rest.MaxBodyBytes, context.RequestAborted).ConfigureAwait(false);
        try
        {
            if (body.IsTooLarge)
            {
                await RefuseAsync(response, span, StatusCodes.Status413PayloadTooLarge, "too_large", $"The body is above the {rest.MaxBodyBytes:N0}-byte limit.").ConfigureAwait(false);
                return;
            }

            using var session = new IngestSession();
            var protobuf = new ArrayBufferWriter<byte>(Math.Max(256, (int)body.Buffer.Length));
            var output = new ArrayBufferWriter<byte>(1024);
            int status = await handler.IngestAsync(body.Buffer, session, protobuf, output, waitOnBackpressure: false, span, context.RequestAborted).ConfigureAwait(false);
            response.StatusCode = status;
            response.ContentType = "application/json; charset=utf-8";
            if (status == StatusCodes.Status429TooManyRequests)
            {
                response.Headers.RetryAfter = rest.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            await response.Body.WriteAsync(output.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            SpanFailure.Record(span, e);
            throw;
        }
        finally
        {
            request.BodyReader.AdvanceTo(body.Buffer.End);
        }
    }

    private static Task RefuseAsync(HttpResponse response, System.Diagnostics.Activity? span, int status, string error, string message)
    {
        SpanFailure.Record(span, error, message);
        return ErrorAsync(response, status, error, message);
    }

    /// <summary>Buffers the whole body in the request pipe, stopping once it passes <paramref name="limit"/>.</summary>
    private static async ValueTask<(ReadOnlySequence<byte> Buffer, bool IsTooLarge)> ReadBodyAsync(PipeReader reader, int limit, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (result.Buffer.Length > limit)
            {
                return (result.Buffer, true);
            }
            if (result.IsCompleted)
            {
                return (result.Buffer, false);
            }
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    internal static async Task ErrorAsync(HttpResponse response, int status, string error, string message)
    {
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        var output = new ArrayBufferWriter<byte>(256);
        JsonIngestHandler.WriteError(output, error, message, null);
        await response.Body.WriteAsync(output.WrittenMemory).ConfigureAwait(false);
    }
}
