using System.Net;
using System.Net.Sockets;
using System.Text;
using AnalyticsHub.Client.Tests.Infrastructure;
using AnalyticsHub.Protocol.Grpc;
using Grpc.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Xunit;

namespace AnalyticsHub.Client.Tests;

/// <summary>
/// Responses no correct gRPC server sends, from a raw Kestrel HTTP/2 server: each must end the
/// call quickly with the right status, never hang, and reset the stream when it is still open.
/// </summary>
public sealed class BadResponseTests(KestrelServerFixture server) : IClassFixture<KestrelServerFixture>, IDisposable
{
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(server.Address);

    public void Dispose() => _channel.Dispose();

    [Fact]
    public async Task WrongContentType_FailsWithUnknown()
    {
        var name = server.Map(nameof(WrongContentType_FailsWithUnknown), async context =>
        {
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html>not grpc</html>");
            RawGrpc.Trailers(context, 0);
        });

        var ex = await Expect.StatusAsync(StatusCode.Unknown, _channel.UnaryAsync(Unary(name), new Empty()));

        Assert.Contains("text/html", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingContentType_FailsWithUnknown()
    {
        var name = server.Map(nameof(MissingContentType_FailsWithUnknown), async context =>
        {
            await context.Response.Body.WriteAsync(GrpcFrames.Frame(new Empty()));
            RawGrpc.Trailers(context, 0);
        });

        await Expect.StatusAsync(StatusCode.Unknown, _channel.UnaryAsync(Unary(name), new Empty()));
    }

    [Fact]
    public async Task Http503_FailsWithUnavailable()
    {
        var name = server.Map(nameof(Http503_FailsWithUnavailable), async context =>
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("overloaded");
        });

        var ex = await Expect.StatusAsync(StatusCode.Unavailable, _channel.UnaryAsync(Unary(name), new Empty()));

        Assert.Contains("503", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(400, StatusCode.Internal)]
    [InlineData(401, StatusCode.Unauthenticated)]
    [InlineData(403, StatusCode.PermissionDenied)]
    [InlineData(404, StatusCode.Unimplemented)]
    [InlineData(429, StatusCode.Unavailable)]
    [InlineData(500, StatusCode.Unknown)]
    [InlineData(502, StatusCode.Unavailable)]
    [InlineData(504, StatusCode.Unavailable)]
    public async Task NonOkHttpStatus_IsMappedPerSpec(int httpStatus, StatusCode expected)
    {
        var name = server.Map($"HttpStatus{httpStatus}", context =>
        {
            context.Response.StatusCode = httpStatus;
            return Task.CompletedTask;
        });

        await Expect.StatusAsync(expected, _channel.UnaryAsync(Unary(name), new Empty()));
    }

    [Fact]
    public async Task MissingGrpcStatus_FailsWithInternal()
    {
        var name = server.Map(nameof(MissingGrpcStatus_FailsWithInternal), async context =>
        {
            RawGrpc.StartGrpcResponse(context);
            await RawGrpc.WriteAsync(context, GrpcFrames.Frame(new Empty()));
            // No trailers: the stream ends with the DATA frame.
        });

        var ex = await Expect.StatusAsync(StatusCode.Internal, _channel.UnaryAsync(Unary(name), new Empty()));

        Assert.Contains("grpc-status", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TruncatedFrame_FailsWithInternal()
    {
        var name = server.Map(nameof(TruncatedFrame_FailsWithInternal), async context =>
        {
            RawGrpc.StartGrpcResponse(context);
            await RawGrpc.WriteAsync(context, [.. GrpcFrames.Header(100), .. new byte[10]]);
            RawGrpc.Trailers(context, 0);
        });

        var ex = await Expect.StatusAsync(StatusCode.Internal, _channel.UnaryAsync(Unary(name), new Empty()));

        Assert.Contains("Incomplete message", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(16 * 1024 * 1024)]
    public async Task TwoGiBLengthPrefix_FailsWithResourceExhaustedWithoutBuffering(int? maxReceiveMessageSize)
    {
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var name = server.Map($"{nameof(TwoGiBLengthPrefix_FailsWithResourceExhaustedWithoutBuffering)}{maxReceiveMessageSize}", async context =>
        {
            var whenAborted = RawGrpc.WhenAbortedAsync(context);
            RawGrpc.StartGrpcResponse(context);
            await RawGrpc.WriteUntilAbortedAsync(context, [.. GrpcFrames.Header(0x8000_0000), .. new byte[64 * 1024]]);

            // Send nothing more: a client that waited for the 2 GiB body would hang here.
            await whenAborted.WaitAsync(Expect.NoHang);
            aborted.TrySetResult();
        });
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { MaxReceiveMessageSize = maxReceiveMessageSize });

        var ex = await Expect.StatusAsync(StatusCode.ResourceExhausted, channel.UnaryAsync(Unary(name), new Empty()), TimeSpan.FromSeconds(5));

        Assert.Contains("2147483648", ex.Status.Detail, StringComparison.Ordinal);
        await aborted.Task.Bounded(); // and the client reset the stream
    }

    [Theory]
    [InlineData("text")]
    [InlineData("bad-protobuf")]
    [InlineData("flags")]
    public async Task Garbage_FailsWithInternal(string kind)
    {
        byte[] body = kind switch
        {
            "text" => Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"),
            "bad-protobuf" => GrpcFrames.Frame([0xFF, 0xFF, 0xFF]), // an unterminated varint tag
            _ => [0x07, 0, 0, 0, 1, 0],
        };
        var name = server.Map($"Garbage{kind}", async context =>
        {
            RawGrpc.StartGrpcResponse(context);
            await RawGrpc.WriteAsync(context, body);
            RawGrpc.Trailers(context, 0);
        });

        await Expect.StatusAsync(StatusCode.Internal, _channel.UnaryAsync(Unary(name), new Empty()));
    }

    [Fact]
    public async Task Garbage_WithoutEnd_FailsAndResetsTheStream()
    {
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var name = server.Map(nameof(Garbage_WithoutEnd_FailsAndResetsTheStream), async context =>
        {
            var whenAborted = RawGrpc.WhenAbortedAsync(context);
            RawGrpc.StartGrpcResponse(context);
            await RawGrpc.WriteUntilAbortedAsync(context, Encoding.ASCII.GetBytes("<!doctype html> and the stream stays open"));
            await whenAborted.WaitAsync(Expect.NoHang);
            aborted.TrySetResult();
        });

        await Expect.StatusAsync(StatusCode.Internal, _channel.UnaryAsync(Unary(name), new Empty()));
        await aborted.Task.Bounded();
    }

    [Fact]
    public async Task CompressedMessageWithoutEncoding_FailsWithInternal()
    {
        var name = server.Map(nameof(CompressedMessageWithoutEncoding_FailsWithInternal), async context =>
        {
            RawGrpc.StartGrpcResponse(context);
            await RawGrpc.WriteAsync(context, GrpcFrames.Frame(RawGrpc.Gzip([]), compressed: true));
            RawGrpc.Trailers(context, 0);
        });

        await Expect.StatusAsync(StatusCode.Internal, _channel.UnaryAsync(Unary(name), new Empty()));
    }

    [Fact]
    public async Task UnsupportedResponseEncoding_FailsWithInternal()
    {
        var name = server.Map(nameof(UnsupportedResponseEncoding_FailsWithInternal), async context =>
        {
            RawGrpc.StartGrpcResponse(context, encoding: "snappy");
            await RawGrpc.WriteAsync(context, GrpcFrames.Frame([1, 2, 3], compressed: true));
            RawGrpc.Trailers(context, 0);
        });

        var ex = await Expect.StatusAsync(StatusCode.Internal, _channel.UnaryAsync(Unary(name), new Empty()));

        Assert.Contains("snappy", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CorruptGzipMessage_FailsWithInternal()
    {
        var name = server.Map(nameof(CorruptGzipMessage_FailsWithInternal), async context =>
        {
            RawGrpc.StartGrpcResponse(context, encoding: "gzip");
            await RawGrpc.WriteAsync(context, GrpcFrames.Frame(Encoding.ASCII.GetBytes("definitely not gzip"), compressed: true));
            RawGrpc.Trailers(context, 0);
        });

        await Expect.StatusAsync(StatusCode.Internal, _channel.UnaryAsync(Unary(name), new Empty()));
    }

    [Fact]
    public async Task GzipResponse_IsDecompressed()
    {
        var expected = new SimpleResponse { ServerId = "gzip-server" };
        var name = server.Map(nameof(GzipResponse_IsDecompressed), async context =>
        {
            RawGrpc.StartGrpcResponse(context, encoding: "gzip");
            await RawGrpc.WriteAsync(context, GrpcFrames.Frame(RawGrpc.Gzip(Google.Protobuf.MessageExtensions.ToByteArray(expected)), compressed: true));
            RawGrpc.Trailers(context, 0);
        });
        var method = Method.Protobuf<SimpleRequest, SimpleResponse>(MethodType.Unary, "test.Raw", name);

        var response = await _channel.UnaryAsync(method, new SimpleRequest()).Bounded();

        Assert.Equal(expected, response);
    }

    [Theory]
    [InlineData("abc", StatusCode.Unknown)]
    [InlineData("42", StatusCode.Unknown)]
    public async Task InvalidGrpcStatus_FailsWithUnknown(string value, StatusCode expected)
    {
        var name = server.Map($"InvalidGrpcStatus{value}", async context =>
        {
            RawGrpc.StartGrpcResponse(context);
            await RawGrpc.WriteAsync(context, GrpcFrames.Frame(new Empty()));
            context.Response.AppendTrailer("grpc-status", value);
        });

        await Expect.StatusAsync(expected, _channel.UnaryAsync(Unary(name), new Empty()));
    }

    [Fact]
    public async Task TrailersOnly_StatusInHeaders_WinsOverHttpStatus()
    {
        var name = server.Map(nameof(TrailersOnly_StatusInHeaders_WinsOverHttpStatus), context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = "5";
            context.Response.Headers["grpc-message"] = "no%20such%20thing%20%E2%98%BA";
            context.Response.Headers["x-detail"] = "kept";
            return Task.CompletedTask;
        });

        using var call = _channel.StartUnaryCall(Unary(name), new Empty());
        var ex = await Expect.StatusAsync(StatusCode.NotFound, call.ResponseAsync);

        Assert.Equal("no such thing ☺", ex.Status.Detail);
        Assert.Equal("kept", ex.Trailers.GetValue("x-detail"));
        Assert.Equal("kept", (await call.ResponseHeadersAsync.Bounded()).GetValue("x-detail"));
    }

    [Fact]
    public async Task TrailersOnly_OkWithoutMessage_ForUnary_FailsWithInternal()
    {
        var name = server.Map(nameof(TrailersOnly_OkWithoutMessage_ForUnary_FailsWithInternal), context =>
        {
            RawGrpc.StartGrpcResponse(context);
            context.Response.Headers["grpc-status"] = "0";
            return Task.CompletedTask;
        });

        await Expect.StatusAsync(StatusCode.Internal, _channel.UnaryAsync(Unary(name), new Empty()));
    }

    [Fact]
    public async Task TrailersOnly_Ok_ForServerStreaming_IsAnEmptyStream()
    {
        var name = server.Map(nameof(TrailersOnly_Ok_ForServerStreaming_IsAnEmptyStream), context =>
        {
            RawGrpc.StartGrpcResponse(context);
            context.Response.Headers["grpc-status"] = "0";
            return Task.CompletedTask;
        });

        using var call = _channel.StartServerStreamingCall(ServerStreaming(name), new Empty());

        Assert.False(await call.ResponseStream.MoveNext().Bounded());
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task TwoMessagesForUnary_FailsWithInternal()
    {
        var name = server.Map(nameof(TwoMessagesForUnary_FailsWithInternal), async context =>
        {
            RawGrpc.StartGrpcResponse(context);
            await RawGrpc.WriteAsync(context, [.. GrpcFrames.Frame(new Empty()), .. GrpcFrames.Frame(new Empty())]);
            RawGrpc.Trailers(context, 0);
        });

        await Expect.StatusAsync(StatusCode.Internal, _channel.UnaryAsync(Unary(name), new Empty()));
    }

    [Theory]
    [InlineData(0x2, StatusCode.Internal)]   // INTERNAL_ERROR
    [InlineData(0x8, StatusCode.Cancelled)]  // CANCEL
    [InlineData(0xB, StatusCode.ResourceExhausted)] // ENHANCE_YOUR_CALM
    public async Task ServerResetsStream_MapsTheHttp2ErrorCode(int errorCode, StatusCode expected)
    {
        var name = server.Map($"Reset{errorCode}", async context =>
        {
            RawGrpc.StartGrpcResponse(context);
            await RawGrpc.WriteAsync(context, GrpcFrames.Frame(new Empty()));
            context.Features.Get<IHttpResetFeature>()!.Reset(errorCode);
        });

        using var call = _channel.StartServerStreamingCall(ServerStreaming(name), new Empty());

        // The reset may overtake the message (a reset stream's unread data is dropped), so read to the end.
        await Expect.StatusAsync(expected, async () =>
        {
            while (await call.ResponseStream.MoveNext())
            {
            }
        });
    }

    [Fact]
    public async Task ServerNeverAnswers_DeadlineExceeded_ResetsTheStream()
    {
        var aborted = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var name = server.Map(nameof(ServerNeverAnswers_DeadlineExceeded_ResetsTheStream), async context =>
        {
            var whenAborted = RawGrpc.WhenAbortedAsync(context);
            await whenAborted.WaitAsync(Expect.NoHang); // not even headers
            aborted.TrySetResult(context.Request.Headers["grpc-timeout"]);
        });

        await Expect.StatusAsync(
            StatusCode.DeadlineExceeded,
            _channel.UnaryAsync(Unary(name), new Empty(), new CallOptions { Timeout = TimeSpan.FromMilliseconds(300) }),
            TimeSpan.FromSeconds(5));

        var timeout = await aborted.Task.Bounded();
        Assert.True(GrpcTimeout.TryParse(timeout, out var sent), timeout);
        Assert.InRange(sent, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task DeadlineAlreadyPassed_FailsWithoutSending()
    {
        var called = false;
        var name = server.Map(nameof(DeadlineAlreadyPassed_FailsWithoutSending), context =>
        {
            called = true;
            return Task.CompletedTask;
        });

        await Expect.StatusAsync(
            StatusCode.DeadlineExceeded,
            _channel.UnaryAsync(Unary(name), new Empty(), new CallOptions { Deadline = DateTime.UtcNow.AddSeconds(-1) }));

        Assert.False(called);
    }

    [Fact]
    public async Task CancelDuringServerStream_ResetsTheStream()
    {
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var name = server.Map(nameof(CancelDuringServerStream_ResetsTheStream), async context =>
        {
            var whenAborted = RawGrpc.WhenAbortedAsync(context);
            RawGrpc.StartGrpcResponse(context);
            await RawGrpc.WriteUntilAbortedAsync(context, GrpcFrames.Frame(new Empty()));
            await whenAborted.WaitAsync(Expect.NoHang);
            aborted.TrySetResult();
        });
        using var cts = new CancellationTokenSource();
        using var call = _channel.StartServerStreamingCall(ServerStreaming(name), new Empty(), new CallOptions { CancellationToken = cts.Token });
        Assert.True(await call.ResponseStream.MoveNext().Bounded());

        var next = call.ResponseStream.MoveNext();
        await cts.CancelAsync();

        await Expect.StatusAsync(StatusCode.Cancelled, next);
        await aborted.Task.Bounded();
    }

    [Fact]
    public async Task CancellingTheMoveNextToken_CancelsTheCall()
    {
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var name = server.Map(nameof(CancellingTheMoveNextToken_CancelsTheCall), async context =>
        {
            var whenAborted = RawGrpc.WhenAbortedAsync(context);
            RawGrpc.StartGrpcResponse(context);
            await context.Response.Body.FlushAsync();
            await whenAborted.WaitAsync(Expect.NoHang);
            aborted.TrySetResult();
        });
        using var call = _channel.StartServerStreamingCall(ServerStreaming(name), new Empty());
        using var cts = new CancellationTokenSource();

        var next = call.ResponseStream.MoveNext(cts.Token);
        await call.ResponseHeadersAsync.Bounded();
        await cts.CancelAsync();

        await Expect.StatusAsync(StatusCode.Cancelled, next);
        await aborted.Task.Bounded();
    }

    [Fact]
    public async Task DisposingARunningCall_ResetsTheStream()
    {
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var name = server.Map(nameof(DisposingARunningCall_ResetsTheStream), async context =>
        {
            var whenAborted = RawGrpc.WhenAbortedAsync(context);
            RawGrpc.StartGrpcResponse(context);
            await RawGrpc.WriteUntilAbortedAsync(context, GrpcFrames.Frame(new Empty()));
            await whenAborted.WaitAsync(Expect.NoHang);
            aborted.TrySetResult();
        });
        var call = _channel.StartServerStreamingCall(ServerStreaming(name), new Empty());
        Assert.True(await call.ResponseStream.MoveNext().Bounded());

        call.Dispose();

        await aborted.Task.Bounded();
        Assert.Equal(StatusCode.Cancelled, call.GetStatus().StatusCode);
        await Expect.StatusAsync(StatusCode.Cancelled, call.ResponseStream.MoveNext());
    }

    [Fact]
    public async Task NothingListening_FailsWithUnavailable()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");

        await Expect.StatusAsync(StatusCode.Unavailable, channel.UnaryAsync(Unary("Anything"), new Empty()));
    }

    [Fact]
    public async Task DisposingTheChannel_CancelsRunningCalls()
    {
        var name = server.Map(nameof(DisposingTheChannel_CancelsRunningCalls), context => RawGrpc.WhenAbortedAsync(context).WaitAsync(Expect.NoHang));
        var channel = GrpcChannel.ForAddress(server.Address);
        var call = channel.UnaryAsync(Unary(name), new Empty());

        channel.Dispose();

        await Expect.StatusAsync(StatusCode.Cancelled, call);
        Assert.Throws<ObjectDisposedException>(() => channel.StartUnaryCall(Unary(name), new Empty()));
    }

    private static Method<Empty, Empty> Unary(string name) => Method.Protobuf<Empty, Empty>(MethodType.Unary, "test.Raw", name);

    private static Method<Empty, Empty> ServerStreaming(string name) => Method.Protobuf<Empty, Empty>(MethodType.ServerStreaming, "test.Raw", name);
}
