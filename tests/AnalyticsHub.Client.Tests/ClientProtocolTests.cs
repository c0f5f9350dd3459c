using System.Buffers;
using AnalyticsHub.Client.Tests.Infrastructure;
using AnalyticsHub.Protocol.Compression;
using AnalyticsHub.Protocol.Grpc;
using Google.Protobuf;
using Grpc.Testing;
using Microsoft.AspNetCore.Http;
using Xunit;
using BytesValue = Google.Protobuf.WellKnownTypes.BytesValue;

namespace AnalyticsHub.Client.Tests;

/// <summary>
/// What the client puts on the wire, observed by a raw Kestrel HTTP/2 server: headers, metadata,
/// per-message compression flags, streaming without buffering, and flow control.
/// </summary>
public sealed class ClientProtocolTests(KestrelServerFixture server) : IClassFixture<KestrelServerFixture>, IDisposable
{
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(server.Address);

    public void Dispose() => _channel.Dispose();

    [Fact]
    public async Task Request_HasGrpcHeadersAndCustomMetadata()
    {
        var seen = new TaskCompletionSource<IHeaderDictionary>(TaskCreationOptions.RunContinuationsAsynchronously);
        var name = server.Map(nameof(Request_HasGrpcHeadersAndCustomMetadata), async context =>
        {
            seen.TrySetResult(context.Request.Headers);
            RawGrpc.StartGrpcResponse(context);
            context.Response.Headers["x-echo"] = context.Request.Headers["x-text"];
            context.Response.Headers["x-echo-bin"] = context.Request.Headers["x-data-bin"];
            await RawGrpc.WriteAsync(context, GrpcFrames.Frame(new Empty()));
            RawGrpc.Trailers(context, 0);
            context.Response.AppendTrailer("x-trailer-bin", "AQID"); // [1, 2, 3], unpadded base64
        });
        var metadata = new Metadata();
        metadata.Add("x-text", "hello");
        metadata.Add("x-data-bin", new byte[] { 0xde, 0xad, 0xbe, 0xef });

        using var call = _channel.StartUnaryCall(Unary(name), new Empty(), new CallOptions { Headers = metadata, Timeout = TimeSpan.FromSeconds(30), CompressionEncoding = "gzip" });
        await call.ResponseAsync.Bounded();
        var headers = await seen.Task.Bounded();

        Assert.Equal("application/grpc", headers.ContentType);
        Assert.Equal("trailers", headers["te"]);
        Assert.StartsWith("analyticshub-dotnet/", headers.UserAgent.ToString(), StringComparison.Ordinal);
        Assert.Equal("gzip", headers["grpc-encoding"]);
        Assert.Equal("identity,deflate,gzip", headers["grpc-accept-encoding"]);
        Assert.True(GrpcTimeout.TryParse(headers["grpc-timeout"].ToString(), out var timeout));
        Assert.InRange(timeout, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(30));
        Assert.Equal("hello", headers["x-text"]);
        Assert.Equal("3q2+7w", headers["x-data-bin"]); // base64 without padding
        Assert.False(headers.ContainsKey("content-length"));

        var responseHeaders = await call.ResponseHeadersAsync.Bounded();
        Assert.Equal("hello", responseHeaders.GetValue("x-echo"));
        Assert.Equal(new byte[] { 0xde, 0xad, 0xbe, 0xef }, responseHeaders.Get("x-echo-bin")?.ValueBytes);
        Assert.Equal(new byte[] { 1, 2, 3 }, call.GetTrailers().Get("x-trailer-bin")?.ValueBytes);
        Assert.Null(call.GetTrailers().Get("grpc-status"));
    }

    [Fact]
    public void ReservedMetadataKey_IsRejected()
    {
        var metadata = new Metadata();
        metadata.Add("grpc-timeout", "1S");

        Assert.Throws<ArgumentException>(() => _channel.StartUnaryCall(Unary("NeverCalled"), new Empty(), new CallOptions { Headers = metadata }));
    }

    [Fact]
    public async Task Duplex_WithGzip_SetsTheCompressedFlagPerMessage()
    {
        var name = server.Map(nameof(Duplex_WithGzip_SetsTheCompressedFlagPerMessage), EchoAsync);
        using var call = _channel.StartDuplexStreamingCall(Duplex(name), new CallOptions { CompressionEncoding = "gzip" });

        var sent = new List<ByteString>();
        foreach (var noCompress in new[] { false, true, false })
        {
            call.RequestStream.WriteOptions = new WriteOptions(noCompress);
            var message = new BytesValue { Value = ByteString.CopyFrom(Enumerable.Repeat((byte)'a', 10_000).ToArray()) };
            await call.RequestStream.WriteAsync(message).Bounded();
            sent.Add(message.Value);

            // Echoed before the next write: each message left the client on its own.
            Assert.True(await call.ResponseStream.MoveNext().Bounded());
            Assert.Equal(message.Value, call.ResponseStream.Current.Value);
        }

        await call.RequestStream.CompleteAsync().Bounded();
        Assert.False(await call.ResponseStream.MoveNext().Bounded());
        Assert.Equal("1,0,1", call.GetTrailers().GetValue("x-compressed-flags"));
        Assert.Equal("gzip", call.GetTrailers().GetValue("x-request-encoding"));
    }

    [Fact]
    public async Task ClientStreaming_ManyLargeMessages_AreStreamed()
    {
        var name = server.Map(nameof(ClientStreaming_ManyLargeMessages_AreStreamed), async context =>
        {
            using var reader = new GrpcMessageReader(context.Request.BodyReader, int.MaxValue, null);
            long total = 0;
            var count = 0;
            while (await reader.MoveNextAsync(context.RequestAborted))
            {
                total += reader.Current.Length;
                count++;
            }

            RawGrpc.StartGrpcResponse(context);
            await RawGrpc.WriteAsync(context, GrpcFrames.Frame(new StreamingInputCallResponse { AggregatedPayloadSize = count }));
            RawGrpc.Trailers(context, 0);
            context.Response.AppendTrailer("x-total", total.ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
        var method = Method.Protobuf<BytesValue, StreamingInputCallResponse>(MethodType.ClientStreaming, "test.Raw", name);
        using var call = _channel.StartClientStreamingCall(method);

        var message = new BytesValue { Value = ByteString.CopyFrom(new byte[256 * 1024]) };
        for (var i = 0; i < 64; i++)
        {
            await call.RequestStream.WriteAsync(message).Bounded();
        }

        await call.RequestStream.CompleteAsync().Bounded();
        var response = await call.ResponseAsync.Bounded();

        Assert.Equal(64, response.AggregatedPayloadSize);
        Assert.Equal((64L * message.CalculateSize()).ToString(System.Globalization.CultureInfo.InvariantCulture), call.GetTrailers().GetValue("x-total"));
    }

    [Fact]
    public async Task ServerThatDoesNotRead_SlowsTheWriterByFlowControl()
    {
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var name = server.Map(nameof(ServerThatDoesNotRead_SlowsTheWriterByFlowControl), async context =>
        {
            var whenAborted = RawGrpc.WhenAbortedAsync(context);
            RawGrpc.StartGrpcResponse(context);
            await context.Response.StartAsync();
            await whenAborted.WaitAsync(Expect.NoHang); // never reads the request body
            aborted.TrySetResult();
        });
        using var call = _channel.StartDuplexStreamingCall(Duplex(name));
        var message = new BytesValue { Value = ByteString.CopyFrom(new byte[1024 * 1024]) };

        long written = 0;
        Task write;
        while (true)
        {
            write = call.RequestStream.WriteAsync(message);
            if (await Task.WhenAny(write, Task.Delay(TimeSpan.FromSeconds(1))) != write)
            {
                break; // blocked on the HTTP/2 window: the client is not buffering the stream
            }

            await write;
            written += message.Value.Length;
            Assert.True(written < 64L * 1024 * 1024, "the writer was never slowed down");
        }

        call.Dispose();
        await Expect.StatusAsync(StatusCode.Cancelled, write);
        await aborted.Task.Bounded();
    }

    [Fact]
    public async Task ServerFailsEarly_ResponseCarriesItsStatus_AndWritesFail()
    {
        var name = server.Map(nameof(ServerFailsEarly_ResponseCarriesItsStatus_AndWritesFail), async context =>
        {
            using var reader = new GrpcMessageReader(context.Request.BodyReader, int.MaxValue, null);
            await reader.MoveNextAsync(context.RequestAborted); // one message, then refuse the rest
            RawGrpc.StartGrpcResponse(context);
            context.Response.Headers["grpc-status"] = "3";
            context.Response.Headers["grpc-message"] = "bad first message";
        });
        var method = Method.Protobuf<Empty, Empty>(MethodType.ClientStreaming, "test.Raw", name);
        using var call = _channel.StartClientStreamingCall(method);

        try
        {
            await call.RequestStream.WriteAsync(new Empty()).Bounded();
        }
        catch (RpcException raced) when (raced.StatusCode == StatusCode.InvalidArgument)
        {
            // The server may answer before this write's flush returns: the write then reports the call's status.
        }

        var ex = await Expect.StatusAsync(StatusCode.InvalidArgument, call.ResponseAsync);

        Assert.Equal("bad first message", ex.Status.Detail);
        await Expect.StatusAsync(StatusCode.InvalidArgument, call.RequestStream.WriteAsync(new Empty()));
        await call.RequestStream.CompleteAsync().Bounded(); // a no-op once the call is over
    }

    [Fact]
    public async Task Duplex_TrailersOnlyError_FailsLaterWritesWithTheServerStatus()
    {
        var name = server.Map(nameof(Duplex_TrailersOnlyError_FailsLaterWritesWithTheServerStatus), context =>
        {
            RawGrpc.StartGrpcResponse(context);
            context.Response.Headers["grpc-status"] = "7";
            context.Response.Headers["grpc-message"] = "not for you";
            return Task.CompletedTask;
        });
        using var call = _channel.StartDuplexStreamingCall(Duplex(name));

        await call.ResponseHeadersAsync.Bounded();

        var ex = await Expect.StatusAsync(StatusCode.PermissionDenied, call.RequestStream.WriteAsync(new BytesValue()));
        Assert.Equal("not for you", ex.Status.Detail);
        await Expect.StatusAsync(StatusCode.PermissionDenied, call.ResponseStream.MoveNext());
    }

    [Fact]
    public async Task FinishedCalls_ReleaseTheirHttp2Streams()
    {
        // One connection, at most 16 concurrent streams (KestrelServerFixture): a call that kept its
        // stream open after finishing would make call 17 wait forever. (Few enough iterations to
        // stay under Kestrel's rapid-reset guard: a duplex call the server ends first is reset.)
        var name = server.Map(nameof(FinishedCalls_ReleaseTheirHttp2Streams), async context =>
        {
            RawGrpc.StartGrpcResponse(context);
            if (context.Request.Headers.ContainsKey("x-fail"))
            {
                context.Response.Headers["grpc-status"] = "9";
                return;
            }

            await RawGrpc.WriteAsync(context, [.. GrpcFrames.Frame(new Empty()), .. GrpcFrames.Frame(new Empty())]);
            RawGrpc.Trailers(context, 0);
        });
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1, EnableMultipleHttp2Connections = false };
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpHandler = false });
        var fail = new Metadata { { "x-fail", "1" } };

        for (var i = 0; i < 40; i++)
        {
            var call = channel.StartServerStreamingCall(ServerStreamingEmpty(name), new Empty()); // not disposed on purpose
            Assert.Equal(2, await call.ResponseStream.ReadAllAsync().CountAsync().AsTask().Bounded());

            var failed = channel.StartServerStreamingCall(ServerStreamingEmpty(name), new Empty(), new CallOptions { Headers = fail });
            await Expect.StatusAsync(StatusCode.FailedPrecondition, failed.ResponseStream.MoveNext());

            var unary = channel.StartUnaryCall(Unary(name), new Empty(), new CallOptions { Headers = fail });
            await Expect.StatusAsync(StatusCode.FailedPrecondition, unary.ResponseAsync);

            // The server ends the call while the client never completes its request stream.
            var duplex = channel.StartDuplexStreamingCall(DuplexEmpty(name));
            Assert.Equal(2, await duplex.ResponseStream.ReadAllAsync().CountAsync().AsTask().Bounded());
        }
    }

    [Fact]
    public async Task WriteAfterComplete_And_ConcurrentWrites_AreRejected()
    {
        var name = server.Map(nameof(WriteAfterComplete_And_ConcurrentWrites_AreRejected), EchoAsync);
        using var call = _channel.StartDuplexStreamingCall(Duplex(name));

        await call.RequestStream.WriteAsync(new BytesValue()).Bounded();
        await call.RequestStream.CompleteAsync().Bounded();

        await Assert.ThrowsAsync<InvalidOperationException>(() => call.RequestStream.WriteAsync(new BytesValue()));
        Assert.True(await call.ResponseStream.MoveNext().Bounded());
        Assert.False(await call.ResponseStream.MoveNext().Bounded());
    }

    [Fact]
    public async Task CallStatusAndTrailers_AreUnavailableWhileRunning()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var name = server.Map(nameof(CallStatusAndTrailers_AreUnavailableWhileRunning), async context =>
        {
            RawGrpc.StartGrpcResponse(context);
            await context.Response.Body.FlushAsync(); // headers now, the message later
            await release.Task.WaitAsync(Expect.NoHang);
            await RawGrpc.WriteAsync(context, GrpcFrames.Frame(new Empty()));
            RawGrpc.Trailers(context, 0);
        });
        using var call = _channel.StartUnaryCall(Unary(name), new Empty());
        await call.ResponseHeadersAsync.Bounded();

        Assert.Throws<InvalidOperationException>(() => call.GetStatus());
        Assert.Throws<InvalidOperationException>(() => call.GetTrailers());

        release.SetResult();
        await call.ResponseAsync.Bounded();
        Assert.Equal(Status.DefaultSuccess, call.GetStatus());
    }

    [Fact]
    public void WrongMethodType_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => _channel.StartUnaryCall(Duplex("X"), new BytesValue()));
    }

    private static async Task EchoAsync(HttpContext context)
    {
        var encoding = context.Request.Headers["grpc-encoding"].ToString();
        CompressionProviders.Default.TryResolve(encoding, out var provider);
        using var reader = new GrpcMessageReader(context.Request.BodyReader, int.MaxValue, provider);
        RawGrpc.StartGrpcResponse(context);
        await context.Response.StartAsync();
        var flags = new List<string>();
        while (await reader.MoveNextAsync(context.RequestAborted))
        {
            flags.Add(reader.CurrentWasCompressed ? "1" : "0");
            await RawGrpc.WriteAsync(context, GrpcFrames.Frame(reader.Current.ToArray()));
        }

        RawGrpc.Trailers(context, 0);
        context.Response.AppendTrailer("x-compressed-flags", string.Join(",", flags));
        context.Response.AppendTrailer("x-request-encoding", encoding);
    }

    private static Method<Empty, Empty> Unary(string name) => Method.Protobuf<Empty, Empty>(MethodType.Unary, "test.Raw", name);

    private static Method<Empty, Empty> ServerStreamingEmpty(string name) => Method.Protobuf<Empty, Empty>(MethodType.ServerStreaming, "test.Raw", name);

    private static Method<Empty, Empty> DuplexEmpty(string name) => Method.Protobuf<Empty, Empty>(MethodType.DuplexStreaming, "test.Raw", name);

    private static Method<BytesValue, BytesValue> Duplex(string name) => Method.Protobuf<BytesValue, BytesValue>(MethodType.DuplexStreaming, "test.Raw", name);
}
