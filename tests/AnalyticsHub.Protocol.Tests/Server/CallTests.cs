using System.Diagnostics;
using AnalyticsHub.Protocol.Tests.Support;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace AnalyticsHub.Protocol.Tests.Server;

/// <summary>Calls that reach a handler: statuses, deadlines, cancellation, metadata, trailers, compression.</summary>
[Collection(GrpcServerCollection.Name)]
public class CallTests(GrpcServerFixture server)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Unary_Success_SendsMessageThenStatusInTrailers()
    {
        var response = await GrpcCall.UnaryAsync(server.Client, "Echo", new StringValue { Value = "hi" });

        Assert.Equal(200, response.HttpStatus);
        Assert.Equal("application/grpc", response.Headers["content-type"]);
        Assert.False(response.Headers.ContainsKey("grpc-status"));
        Assert.Equal("0", response.Trailers["grpc-status"]);
        // Exact body: one uncompressed frame holding field 1 = "hi".
        Assert.Equal(new byte[] { 0, 0, 0, 0, 4, 0x0A, 0x02, 0x68, 0x69 }, response.Body);
    }

    [Fact]
    public async Task HandlerThrowingException_IsUnknownWithoutLeakingTheMessage()
    {
        var response = await GrpcCall.UnaryAsync(server.Client, "Throw", new StringValue());

        Assert.True(response.IsTrailersOnly, response.ToString());
        Assert.Equal("2", response.GrpcStatus);
        Assert.Equal("Exception was thrown by handler.", response.GrpcMessage);
        Assert.DoesNotContain("secret detail", response.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", response.ToString(), StringComparison.Ordinal);
        // The detail belongs in the server log instead.
        Assert.Contains(server.Logs.Records, r => r.Exception is InvalidOperationException { Message: "secret detail" });
        await server.AssertHealthyAsync();
    }

    [Fact]
    public async Task HandlerThrowingRpcException_SendsItsStatusAndTrailers()
    {
        var response = await GrpcCall.UnaryAsync(server.Client, "ThrowRpc", new StringValue());

        Assert.True(response.IsTrailersOnly, response.ToString());
        Assert.Equal("5", response.GrpcStatus);
        Assert.Equal("x", response.GrpcMessage);
        Assert.Equal("missing", response.Headers["x-why"]); // the exception's trailers ride in the Trailers-Only headers
        Assert.Equal("application/grpc", response.Headers["content-type"]);
        await server.AssertHealthyAsync();
    }

    [Fact]
    public async Task Deadline_OnHandlerThatWaits_IsDeadlineExceededAndCancelsTheHandler()
    {
        var probe = server.NewProbe();

        var response = await GrpcCall.UnaryAsync(server.Client, "Wait", new StringValue { Value = probe.Id }, ("grpc-timeout", "200m"));

        Assert.True(response.IsTrailersOnly, response.ToString());
        Assert.Equal("4", response.GrpcStatus);
        Assert.Equal("Deadline Exceeded", response.GrpcMessage);
        Assert.InRange(response.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(3));
        await probe.Cancelled.Task.WaitAsync(Timeout); // the handler's CancellationToken fired
        await server.AssertHealthyAsync();
    }

    [Fact]
    public async Task Deadline_OnHandlerIgnoringCancellation_StillAnswersOnTime()
    {
        var probe = server.NewProbe();
        try
        {
            var response = await GrpcCall.UnaryAsync(server.Client, "WaitIgnoringToken", new StringValue { Value = probe.Id }, ("grpc-timeout", "200m"));

            Assert.True(probe.Started.Task.IsCompleted);
            Assert.Equal("4", response.GrpcStatus);
            Assert.InRange(response.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(3));
        }
        finally
        {
            probe.Release.TrySetResult(); // the handler now returns into a finished call
        }

        await server.AssertHealthyAsync();
    }

    [Fact]
    public async Task ClientCancellation_ReachesTheHandlerCancellationToken()
    {
        var probe = server.NewProbe();
        using var cancel = new CancellationTokenSource();
        var request = GrpcCall.Request(GrpcCall.PathOf("Wait"), GrpcCall.Body(GrpcFrames.Frame(new StringValue { Value = probe.Id }.ToByteArray())));

        var call = GrpcCall.SendAsync(server.Client, request, TimeSpan.FromSeconds(30), cancel.Token);
        await probe.Started.Task.WaitAsync(Timeout);
        await cancel.CancelAsync();

        await probe.Cancelled.Task.WaitAsync(Timeout);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await server.AssertHealthyAsync();
    }

    [Fact]
    public async Task CustomMetadata_FlowsInAndOut()
    {
        byte[] b = [0xDE, 0xAD];
        var response = await GrpcCall.UnaryAsync(server.Client, "Metadata", new StringValue(), ("x-a", "1"), ("x-b-bin", "3q0"), ("grpc-timeout", "10S"));

        Assert.Equal("0", response.GrpcStatus);
        // The handler saw exactly the custom keys: no grpc-*, content-type, te or pseudo-headers.
        var seen = StringValue.Parser.ParseFrom(Assert.Single(response.Messages).Payload).Value.Split(',');
        Assert.Contains("x-a", seen);
        Assert.Contains("x-b-bin", seen);
        Assert.DoesNotContain(seen, k => k.StartsWith("grpc-", StringComparison.Ordinal) || k.StartsWith(':') || k is "content-type" or "te");
        // Response headers (with the first message) and trailers (with the status).
        Assert.Equal("1", response.Headers["x-echo-a"]);
        Assert.Equal("3q0", response.Headers["x-echo-b-bin"]); // the same two bytes, unpadded base64
        Assert.Equal("t-1", response.Trailers["x-trailer"]);
        Assert.Equal(Convert.ToBase64String([b[1], b[0]]).TrimEnd('='), response.Trailers["x-trailer-bin"]);
        Assert.False(response.Trailers.ContainsKey("x-echo-a"));
        Assert.False(response.Headers.ContainsKey("x-trailer"));
    }

    [Fact]
    public async Task BinaryMetadata_WithPadding_IsDecodedToo()
    {
        var response = await GrpcCall.UnaryAsync(server.Client, "Metadata", new StringValue(), ("x-a", "2"), ("x-b-bin", "3q0="));

        Assert.Equal("0", response.GrpcStatus);
        Assert.Equal("3q0", response.Headers["x-echo-b-bin"]);
    }

    [Fact]
    public async Task ServerStreaming_MessagesThenOkInTrailers()
    {
        var response = await GrpcCall.UnaryAsync(server.Client, "Stream", new StringValue { Value = "3" });

        Assert.False(response.IsTrailersOnly);
        Assert.False(response.Headers.ContainsKey("grpc-status"));
        Assert.Equal("0", response.Trailers["grpc-status"]);
        Assert.Equal(["m0", "m1", "m2"], response.Messages.Select(m => StringValue.Parser.ParseFrom(m.Payload).Value));
    }

    [Fact]
    public async Task ServerStreaming_ErrorAfterMessages_IsInTrailersNotHeaders()
    {
        var response = await GrpcCall.UnaryAsync(server.Client, "Stream", new StringValue { Value = "2!" });

        Assert.False(response.Headers.ContainsKey("grpc-status"));
        Assert.Equal("10", response.Trailers["grpc-status"]);
        Assert.Equal("after", response.GrpcMessage);
        Assert.Equal(2, response.Messages.Count);
    }

    [Fact]
    public async Task ErrorBeforeAnyMessage_IsTrailersOnly()
    {
        var response = await GrpcCall.UnaryAsync(server.Client, "Stream", new StringValue { Value = "0!" });

        Assert.True(response.IsTrailersOnly, response.ToString());
        Assert.Empty(response.Body);
        Assert.Empty(response.Trailers);
        Assert.Equal("10", response.Headers["grpc-status"]);
        Assert.Equal("application/grpc", response.Headers["content-type"]);
    }

    [Fact]
    public async Task Gzip_RequestAndResponse_RoundTrip()
    {
        var body = GrpcFrames.Frame(Frames.Gzip(new StringValue { Value = "zipped" }.ToByteArray()), compressed: true);

        var response = await GrpcCall.SendBytesAsync(server.Client, "Compress", body, ("grpc-encoding", "gzip"), ("grpc-accept-encoding", "identity,gzip"));

        Assert.Equal("0", response.GrpcStatus);
        Assert.Equal("gzip", response.Headers["grpc-encoding"]);
        var (compressed, payload) = Assert.Single(response.Messages);
        Assert.True(compressed);
        Assert.Equal(1, response.Body[0]);
        Assert.Equal("zipped|gzip", StringValue.Parser.ParseFrom(Frames.Gunzip(payload)).Value);
    }

    [Fact]
    public async Task Deflate_Request_IsDecompressedAsZlib()
    {
        var body = GrpcFrames.Frame(Frames.Zlib(new StringValue { Value = "deflated" }.ToByteArray()), compressed: true);

        var response = await GrpcCall.SendBytesAsync(server.Client, "Compress", body, ("grpc-encoding", "deflate"));

        Assert.Equal("0", response.GrpcStatus);
        var (compressed, payload) = Assert.Single(response.Messages);
        Assert.False(compressed); // the client accepts no compressed responses
        Assert.False(response.Headers.ContainsKey("grpc-encoding"));
        Assert.Equal("deflated|deflate", StringValue.Parser.ParseFrom(payload).Value);
    }

    [Fact]
    public async Task GzipEncoding_WithUncompressedMessage_IsAccepted()
    {
        // grpc-encoding names the algorithm; each message's flag says whether it was used.
        var response = await GrpcCall.SendBytesAsync(server.Client, "Compress", GrpcFrames.Frame(new StringValue { Value = "plain" }.ToByteArray()), ("grpc-encoding", "gzip"));

        Assert.Equal("0", response.GrpcStatus);
        Assert.Equal("plain|gzip", StringValue.Parser.ParseFrom(Assert.Single(response.Messages).Payload).Value);
    }

    [Fact]
    public async Task ClientStreaming_MessagesSplitAcrossManyDataFrames_AreReassembled()
    {
        var parts = new[] { "alpha", "", "beta", new string('g', 3000) };
        var bytes = Frames.Concat([.. parts.Select(p => GrpcFrames.Frame(new StringValue { Value = p }.ToByteArray()))]);
        using var content = new StreamingContent();
        var call = GrpcCall.SendAsync(server.Client, GrpcCall.Request(GrpcCall.PathOf("Concat"), content));

        // Trickle the body in 1–7 byte writes, each flushed into its own DATA frame.
        var random = new Random(12);
        for (var offset = 0; offset < bytes.Length;)
        {
            var length = Math.Min(bytes.Length - offset, random.Next(1, 8));
            await content.SendAsync(bytes[offset..(offset + length)]);
            offset += length;
        }

        content.Complete();
        var response = await call;

        Assert.Equal("0", response.GrpcStatus);
        Assert.Equal(string.Concat(parts), StringValue.Parser.ParseFrom(Assert.Single(response.Messages).Payload).Value);
    }

    [Fact]
    public async Task DuplexStream_IdleLongerThanMinDataRateGrace_IsNotCutOff()
    {
        // Kestrel here demands 1,000 B/s after a 1.5 s grace period; a stream idle for 3 s must survive.
        using var client = server.CreateClient();
        using var content = new StreamingContent();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(8));
        var started = Stopwatch.StartNew();
        await content.SendAsync(GrpcFrames.Frame(new StringValue { Value = "one" }.ToByteArray()));

        using var response = await client.SendAsync(GrpcCall.Request(GrpcCall.PathOf("DuplexEcho"), content), HttpCompletionOption.ResponseHeadersRead, cts.Token);
        await using var stream = await response.Content.ReadAsStreamAsync(cts.Token);
        var first = await GrpcCall.ReadMessageAsync(stream, cts.Token);
        Assert.Equal("one", StringValue.Parser.ParseFrom(first!.Value.Payload).Value);

        await Task.Delay(TimeSpan.FromSeconds(3), cts.Token); // deliberate idle: the server is blocked reading
        await content.SendAsync(GrpcFrames.Frame(new StringValue { Value = "two" }.ToByteArray()));
        content.Complete();

        var second = await GrpcCall.ReadMessageAsync(stream, cts.Token);
        Assert.Equal("two", StringValue.Parser.ParseFrom(second!.Value.Payload).Value);
        Assert.Null(await GrpcCall.ReadMessageAsync(stream, cts.Token));
        Assert.Equal("0", string.Join(",", response.TrailingHeaders.GetValues("grpc-status")));
        Assert.True(started.Elapsed >= TimeSpan.FromSeconds(3));
        await server.AssertHealthyAsync(client);
    }

    [Fact]
    public async Task UnaryMethod_ReadingAnIdleBody_IsStillSubjectToMinDataRate()
    {
        // Control for the test above: without the exemption the same idle body is cut off,
        // which shows the strict limit really is in force on this host.
        using var client = server.CreateClient();
        using var content = new StreamingContent();
        await content.SendAsync(GrpcFrames.Frame([]));
        var call = GrpcCall.SendAsync(client, GrpcCall.Request(GrpcCall.PathOf("CountUnaryRaw"), content), TimeSpan.FromSeconds(4.5));

        // The body never ends. The server cuts it after the 1.5 s grace; how the client sees that
        // (a status, a reset, or its body send cancelled) races, so what is asserted is that it came
        // well before the client's own 4.5 s timeout.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var response = await call;
            Assert.NotEqual("0", response.GrpcStatus);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"the body was only cut by the client's timeout: {ex}");
        }
        finally
        {
            content.Complete();
        }

        await server.AssertHealthyAsync();
    }
}
