using System.Buffers;
using System.Net.WebSockets;
using AnalyticsHub.Server.Configuration;
using AnalyticsHub.Server.Ingestion;
using AnalyticsHub.Server.Tracing;

namespace AnalyticsHub.Server.Endpoints;

/// <summary>
/// <c>/ws/events</c>: each message is a JSON body as for <c>POST /api/v1/events</c>; each gets
/// one JSON answer, in order, once its events are durable: the REST answer plus
/// <c>"status"</c> (the HTTP status REST would have sent). Under backpressure the socket stops
/// being read (TCP flow control) instead of answering 429. A message above the byte limit closes
/// the socket with 1009; a bad message gets a 400 answer and the socket stays open.
/// </summary>
public static class EventSocketEndpoint
{
    public static void MapEventSocket(this IEndpointRouteBuilder endpoints, RestOptions rest)
    {
        endpoints.Map("/ws/events", (HttpContext context, JsonIngestHandler handler) => ServeAsync(context, handler, rest));
    }

    private static async Task ServeAsync(HttpContext context, JsonIngestHandler handler, RestOptions rest)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await EventEndpoints.ErrorAsync(context.Response, StatusCodes.Status400BadRequest, "websocket_required",
                "/ws/events speaks WebSocket: send an Upgrade request.").ConfigureAwait(false);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        using var session = new IngestSession();
        var message = new ArrayBufferWriter<byte>(64 * 1024);
        var protobuf = new ArrayBufferWriter<byte>(64 * 1024);
        var answer = new ArrayBufferWriter<byte>(16 * 1024);
        var cancel = context.RequestAborted;
        var counters = context.RequestServices.GetRequiredService<IngestCounters>();
        var parent = RequestTraceContext.ParentOf(context.Request.Headers); // the upgrade request's: every message's span hangs under it
        counters.StreamOpened(IngestTransport.WebSocket);
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                message.ResetWrittenCount();
                var received = await ReceiveMessageAsync(socket, message, rest.MaxBodyBytes, cancel).ConfigureAwait(false);
                if (received == Received.Closed)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cancel).ConfigureAwait(false);
                    return;
                }
                if (received == Received.TooBig)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, $"messages are limited to {rest.MaxBodyBytes} bytes", cancel).ConfigureAwait(false);
                    return;
                }

                answer.ResetWrittenCount();
                using var span = IngestSpan.Start(IngestSpan.WebSocket, parent);
                try
                {
                    var status = await handler.IngestAsync(new ReadOnlySequence<byte>(message.WrittenMemory), session, protobuf, answer,
                        waitOnBackpressure: true, span, cancel).ConfigureAwait(false);
                    await socket.SendAsync(WithStatus(answer, status), WebSocketMessageType.Text, endOfMessage: true, cancel).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    SpanFailure.Record(span, e);
                    throw;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The peer went away; what was acknowledged is durable, the rest was never acknowledged.
        }
        finally
        {
            counters.StreamClosed(IngestTransport.WebSocket);
        }
    }

    /// <summary>Prefixes the answer object with its status: <c>{"status":202,…}</c>.</summary>
    private static ReadOnlyMemory<byte> WithStatus(ArrayBufferWriter<byte> answer, int status)
    {
        var prefix = System.Text.Encoding.UTF8.GetBytes($"{{\"status\":{status},");
        var body = answer.WrittenSpan[1..]; // drop the '{'
        var combined = new byte[prefix.Length + body.Length];
        prefix.CopyTo(combined, 0);
        body.CopyTo(combined.AsSpan(prefix.Length));
        return combined;
    }

    private enum Received
    {
        Message,
        Closed,
        TooBig,
    }

    private static async ValueTask<Received> ReceiveMessageAsync(WebSocket socket, ArrayBufferWriter<byte> into, int limit, CancellationToken cancellationToken)
    {
        while (true)
        {
            var buffer = into.GetMemory(16 * 1024);
            var result = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return Received.Closed;
            }
            into.Advance(result.Count);
            if (into.WrittenCount > limit)
            {
                return Received.TooBig;
            }
            if (result.EndOfMessage)
            {
                return Received.Message;
            }
        }
    }
}
