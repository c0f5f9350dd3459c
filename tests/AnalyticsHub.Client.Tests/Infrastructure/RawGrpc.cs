using System.IO.Compression;
using Microsoft.AspNetCore.Http;

namespace AnalyticsHub.Client.Tests.Infrastructure;

/// <summary>Hand-made gRPC framing for the raw Kestrel handlers: the tests decide every byte.</summary>
internal static class RawGrpc
{
    public static void StartGrpcResponse(HttpContext context, string? encoding = null)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        if (encoding is not null)
        {
            context.Response.Headers["grpc-encoding"] = encoding;
        }
    }

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    public static async Task WriteAsync(HttpContext context, byte[] bytes)
    {
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    /// <summary>
    /// Writes and flushes, ignoring a reset by the client: for handlers that go on to check that
    /// the client reset the stream (which may happen while this write waits on flow control).
    /// </summary>
    public static async Task WriteUntilAbortedAsync(HttpContext context, byte[] bytes)
    {
        try
        {
            await WriteAsync(context, bytes);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
        {
        }
    }

    public static void Trailers(HttpContext context, int status, string? message = null)
    {
        context.Response.AppendTrailer("grpc-status", status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (message is not null)
        {
            context.Response.AppendTrailer("grpc-message", message);
        }
    }

    /// <summary>Resolves when the client resets the stream (or the connection goes away).</summary>
    public static Task WhenAbortedAsync(HttpContext context)
    {
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        context.RequestAborted.Register(() => aborted.TrySetResult());
        return aborted.Task;
    }
}
