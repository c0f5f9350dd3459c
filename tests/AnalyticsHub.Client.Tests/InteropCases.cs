using AnalyticsHub.Client.Tests.Infrastructure;
using AnalyticsHub.Protocol.Grpc;
using Google.Protobuf;
using Grpc.Testing;
using Xunit;

namespace AnalyticsHub.Client.Tests;

/// <summary>
/// The client-side cases of gRPC's interop spec (doc/interop-test-descriptions.md), run by
/// <see cref="ReferenceServerInteropTests"/> against the gRPC C-core reference server and by
/// <see cref="HubInteropServerTests"/> against our own interop host.
/// </summary>
public abstract class InteropCases(string address) : IDisposable
{
    private const string EchoInitialKey = "x-grpc-test-echo-initial";
    private const string EchoInitialValue = "test_initial_metadata_value";
    private const string EchoTrailingKey = "x-grpc-test-echo-trailing-bin";
    private static readonly byte[] EchoTrailingValue = [0xab, 0xab, 0xab];

    private readonly RecordingHandler _recorder = new();
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(address);

    public void Dispose()
    {
        _channel.Dispose();
        _recorder.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task EmptyUnary_ReturnsEmpty()
    {
        var response = await _channel.UnaryAsync(TestServiceMethods.EmptyCall, new Empty()).Bounded();
        Assert.NotNull(response);
    }

    [Fact]
    public async Task LargeUnary_SendsAndReceivesLargePayloads()
    {
        var request = new SimpleRequest { ResponseSize = 314159, Payload = Zeros(271828) };

        var response = await _channel.UnaryAsync(TestServiceMethods.UnaryCall, request).Bounded();

        AssertZeros(response.Payload, 314159);
    }

    [Fact]
    public async Task ClientCompressedUnary_SendsGzipRequests()
    {
        using var channel = RecordingChannel();
        var compressed = new SimpleRequest { ResponseSize = 314159, Payload = Zeros(271828), ExpectCompressed = new BoolValue { Value = true } };
        var response = await channel.UnaryAsync(TestServiceMethods.UnaryCall, compressed, new CallOptions { CompressionEncoding = "gzip" }).Bounded();
        AssertZeros(response.Payload, 314159);
        Assert.Equal("gzip", _recorder.Exchanges.Last().RequestHeaders["grpc-encoding"]);

        var uncompressed = new SimpleRequest { ResponseSize = 314159, Payload = Zeros(271828), ExpectCompressed = new BoolValue { Value = false } };
        response = await channel.UnaryAsync(TestServiceMethods.UnaryCall, uncompressed).Bounded();
        AssertZeros(response.Payload, 314159);
        Assert.False(_recorder.Exchanges.Last().RequestHeaders.ContainsKey("grpc-encoding"));
    }

    [Fact]
    public async Task ServerCompressedUnary_DecompressesGzipResponses()
    {
        using var channel = RecordingChannel();
        var request = new SimpleRequest { ResponseSize = 314159, Payload = Zeros(271828), ResponseCompressed = new BoolValue { Value = true } };
        var response = await channel.UnaryAsync(TestServiceMethods.UnaryCall, request).Bounded();
        AssertZeros(response.Payload, 314159);
        Assert.Equal("gzip", _recorder.Exchanges.Last().ResponseHeaders["grpc-encoding"]);

        request.ResponseCompressed.Value = false;
        response = await channel.UnaryAsync(TestServiceMethods.UnaryCall, request).Bounded();
        AssertZeros(response.Payload, 314159);
    }

    [Fact]
    public async Task ClientStreaming_AggregatesPayloadSizes()
    {
        using var call = _channel.StartClientStreamingCall(TestServiceMethods.StreamingInputCall);
        foreach (var size in new[] { 27182, 8, 1828, 45904 })
        {
            await call.RequestStream.WriteAsync(new StreamingInputCallRequest { Payload = Zeros(size) }).Bounded();
        }

        await call.RequestStream.CompleteAsync().Bounded();
        var response = await call.ResponseAsync.Bounded();

        Assert.Equal(74922, response.AggregatedPayloadSize);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task ClientCompressedStreaming_MixesCompressedAndUncompressedMessages()
    {
        using var channel = RecordingChannel();
        using var call = channel.StartClientStreamingCall(TestServiceMethods.StreamingInputCall, new CallOptions { CompressionEncoding = "gzip" });
        await call.RequestStream.WriteAsync(new StreamingInputCallRequest { Payload = Zeros(27182), ExpectCompressed = new BoolValue { Value = true } }).Bounded();
        call.RequestStream.WriteOptions = WriteOptions.Uncompressed;
        await call.RequestStream.WriteAsync(new StreamingInputCallRequest { Payload = Zeros(45904), ExpectCompressed = new BoolValue { Value = false } }).Bounded();
        await call.RequestStream.CompleteAsync().Bounded();

        var response = await call.ResponseAsync.Bounded();

        Assert.Equal(73086, response.AggregatedPayloadSize);
        Assert.Equal("gzip", _recorder.Exchanges.Last().RequestHeaders["grpc-encoding"]);
    }

    [Fact]
    public async Task ServerStreaming_ReceivesMessagesInOrder()
    {
        int[] sizes = [31415, 9, 2653, 58979];
        var request = new StreamingOutputCallRequest();
        request.ResponseParameters.Add(sizes.Select(s => new ResponseParameters { Size = s }));

        using var call = _channel.StartServerStreamingCall(TestServiceMethods.StreamingOutputCall, request);
        var received = new List<int>();
        await foreach (var response in call.ResponseStream.ReadAllAsync().WithCancellation(CancellationToken.None))
        {
            AssertZeros(response.Payload, response.Payload.Body.Length);
            received.Add(response.Payload.Body.Length);
        }

        Assert.Equal(sizes, received);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task ServerCompressedStreaming_DecompressesPerMessage()
    {
        using var channel = RecordingChannel();
        var request = new StreamingOutputCallRequest();
        request.ResponseParameters.Add(new ResponseParameters { Size = 31415, Compressed = new BoolValue { Value = true } });
        request.ResponseParameters.Add(new ResponseParameters { Size = 92653, Compressed = new BoolValue { Value = false } });

        using var call = channel.StartServerStreamingCall(TestServiceMethods.StreamingOutputCall, request);
        var sizes = new List<int>();
        while (await call.ResponseStream.MoveNext().Bounded())
        {
            AssertZeros(call.ResponseStream.Current.Payload, call.ResponseStream.Current.Payload.Body.Length);
            sizes.Add(call.ResponseStream.Current.Payload.Body.Length);
        }

        Assert.Equal([31415, 92653], sizes);
        Assert.Equal("gzip", _recorder.Exchanges.Last().ResponseHeaders["grpc-encoding"]);
    }

    [Fact]
    public async Task PingPong_AlternatesRequestsAndResponses()
    {
        int[] requestSizes = [27182, 8, 1828, 45904];
        int[] responseSizes = [31415, 9, 2653, 58979];
        using var call = _channel.StartDuplexStreamingCall(TestServiceMethods.FullDuplexCall);
        for (var i = 0; i < requestSizes.Length; i++)
        {
            var request = new StreamingOutputCallRequest { Payload = Zeros(requestSizes[i]) };
            request.ResponseParameters.Add(new ResponseParameters { Size = responseSizes[i] });
            await call.RequestStream.WriteAsync(request).Bounded();

            // The server answers each request before the next is written: requests really stream.
            Assert.True(await call.ResponseStream.MoveNext().Bounded());
            AssertZeros(call.ResponseStream.Current.Payload, responseSizes[i]);
        }

        await call.RequestStream.CompleteAsync().Bounded();
        Assert.False(await call.ResponseStream.MoveNext().Bounded());
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task EmptyStream_EndsWithoutMessages()
    {
        using var call = _channel.StartDuplexStreamingCall(TestServiceMethods.FullDuplexCall);
        await call.RequestStream.CompleteAsync().Bounded();

        Assert.False(await call.ResponseStream.MoveNext().Bounded());
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task HalfDuplex_AnswersAfterTheClientHalfCloses()
    {
        using var call = _channel.StartDuplexStreamingCall(TestServiceMethods.HalfDuplexCall);
        for (var i = 1; i <= 3; i++)
        {
            var request = new StreamingOutputCallRequest();
            request.ResponseParameters.Add(new ResponseParameters { Size = i * 1000 });
            await call.RequestStream.WriteAsync(request).Bounded();
        }

        await call.RequestStream.CompleteAsync().Bounded();
        var sizes = await call.ResponseStream.ReadAllAsync().Select(r => r.Payload.Body.Length).ToListAsync().AsTask().Bounded();
        Assert.Equal([1000, 2000, 3000], sizes);
    }

    [Fact]
    public async Task CancelAfterBegin_EndsWithCancelled()
    {
        using var cts = new CancellationTokenSource();
        using var call = _channel.StartClientStreamingCall(TestServiceMethods.StreamingInputCall, new CallOptions { CancellationToken = cts.Token });
        await cts.CancelAsync();

        await Expect.StatusAsync(StatusCode.Cancelled, call.ResponseAsync);
        Assert.Equal(StatusCode.Cancelled, call.GetStatus().StatusCode);
        await Expect.StatusAsync(StatusCode.Cancelled, call.RequestStream.WriteAsync(new StreamingInputCallRequest()));
    }

    [Fact]
    public async Task CancelAfterFirstResponse_EndsWithCancelled()
    {
        using var cts = new CancellationTokenSource();
        using var call = _channel.StartDuplexStreamingCall(TestServiceMethods.FullDuplexCall, new CallOptions { CancellationToken = cts.Token });
        var request = new StreamingOutputCallRequest { Payload = Zeros(27182) };
        request.ResponseParameters.Add(new ResponseParameters { Size = 31415 });
        await call.RequestStream.WriteAsync(request).Bounded();
        Assert.True(await call.ResponseStream.MoveNext().Bounded());

        await cts.CancelAsync();

        await Expect.StatusAsync(StatusCode.Cancelled, call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.Cancelled, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task TimeoutOnSleepingServer_EndsWithDeadlineExceeded()
    {
        using var call = _channel.StartDuplexStreamingCall(TestServiceMethods.FullDuplexCall, new CallOptions { Timeout = TimeSpan.FromMilliseconds(1) });
        var request = new StreamingOutputCallRequest { Payload = Zeros(27182) };
        request.ResponseParameters.Add(new ResponseParameters { Size = 31415 });
        try
        {
            await call.RequestStream.WriteAsync(request).Bounded();
        }
        catch (RpcException ex)
        {
            Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode); // the deadline may pass during the write
        }

        await Expect.StatusAsync(StatusCode.DeadlineExceeded, call.ResponseStream.MoveNext());
    }

    [Fact]
    public async Task Deadline_OnSlowServerStream_EndsWithDeadlineExceededAndSendsGrpcTimeout()
    {
        using var channel = RecordingChannel();
        var request = new StreamingOutputCallRequest();
        request.ResponseParameters.Add(new ResponseParameters { Size = 10 });
        request.ResponseParameters.Add(new ResponseParameters { Size = 10, IntervalUs = 8_000_000 });

        using var call = channel.StartServerStreamingCall(TestServiceMethods.StreamingOutputCall, request, new CallOptions { Timeout = TimeSpan.FromSeconds(2) });
        Assert.True(await call.ResponseStream.MoveNext().Bounded());

        await Expect.StatusAsync(StatusCode.DeadlineExceeded, call.ResponseStream.MoveNext(), TimeSpan.FromSeconds(6));
        var timeout = _recorder.Exchanges.Last().RequestHeaders["grpc-timeout"];
        Assert.True(GrpcTimeout.TryParse(timeout, out var sent), timeout);
        Assert.InRange(sent, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task StatusCodeAndMessage_Unary_SurfacesStatus()
    {
        var request = new SimpleRequest { ResponseStatus = new EchoStatus { Code = 2, Message = "test status message" } };

        var ex = await Expect.StatusAsync(StatusCode.Unknown, _channel.UnaryAsync(TestServiceMethods.UnaryCall, request));

        Assert.Equal("test status message", ex.Status.Detail);
    }

    [Fact]
    public async Task StatusCodeAndMessage_Duplex_SurfacesStatus()
    {
        using var call = _channel.StartDuplexStreamingCall(TestServiceMethods.FullDuplexCall);
        await call.RequestStream.WriteAsync(new StreamingOutputCallRequest { ResponseStatus = new EchoStatus { Code = 2, Message = "test status message" } }).Bounded();
        await call.RequestStream.CompleteAsync().Bounded();

        var ex = await Expect.StatusAsync(StatusCode.Unknown, call.ResponseStream.MoveNext());

        Assert.Equal("test status message", ex.Status.Detail);
        Assert.Equal(ex.Status, call.GetStatus());
    }

    [Fact]
    public async Task SpecialStatusMessage_IsPercentDecoded()
    {
        const string message = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n";
        var request = new SimpleRequest { ResponseStatus = new EchoStatus { Code = 2, Message = message } };

        var ex = await Expect.StatusAsync(StatusCode.Unknown, _channel.UnaryAsync(TestServiceMethods.UnaryCall, request));

        Assert.Equal(message, ex.Status.Detail);
    }

    [Fact]
    public async Task UnimplementedMethod_EndsWithUnimplemented()
    {
        await Expect.StatusAsync(StatusCode.Unimplemented, _channel.UnaryAsync(TestServiceMethods.UnimplementedCall, new Empty()));
    }

    [Fact]
    public async Task UnimplementedService_EndsWithUnimplemented()
    {
        await Expect.StatusAsync(StatusCode.Unimplemented, _channel.UnaryAsync(TestServiceMethods.UnimplementedServiceCall, new Empty()));
    }

    [Fact]
    public async Task CustomMetadata_Unary_EchoesInitialAndTrailingMetadata()
    {
        var request = new SimpleRequest { ResponseSize = 314159, Payload = Zeros(271828) };

        using var call = _channel.StartUnaryCall(TestServiceMethods.UnaryCall, request, new CallOptions { Headers = EchoMetadata() });
        var response = await call.ResponseAsync.Bounded();
        var headers = await call.ResponseHeadersAsync.Bounded();

        AssertZeros(response.Payload, 314159);
        Assert.Equal(EchoInitialValue, headers.GetValue(EchoInitialKey));
        Assert.Equal(EchoTrailingValue, call.GetTrailers().Get(EchoTrailingKey)?.ValueBytes);
    }

    [Fact]
    public async Task CustomMetadata_Duplex_EchoesInitialAndTrailingMetadata()
    {
        using var call = _channel.StartDuplexStreamingCall(TestServiceMethods.FullDuplexCall, new CallOptions { Headers = EchoMetadata() });
        var request = new StreamingOutputCallRequest { Payload = Zeros(271828) };
        request.ResponseParameters.Add(new ResponseParameters { Size = 314159 });
        await call.RequestStream.WriteAsync(request).Bounded();
        await call.RequestStream.CompleteAsync().Bounded();

        var headers = await call.ResponseHeadersAsync.Bounded();
        Assert.True(await call.ResponseStream.MoveNext().Bounded());
        AssertZeros(call.ResponseStream.Current.Payload, 314159);
        Assert.False(await call.ResponseStream.MoveNext().Bounded());

        Assert.Equal(EchoInitialValue, headers.GetValue(EchoInitialKey));
        Assert.Equal(EchoTrailingValue, call.GetTrailers().Get(EchoTrailingKey)?.ValueBytes);
    }

    [Fact]
    public async Task CustomMetadata_OnFailedCall_IsInTheException()
    {
        var request = new SimpleRequest { ResponseStatus = new EchoStatus { Code = 9, Message = "no" } };

        var ex = await Expect.StatusAsync(
            StatusCode.FailedPrecondition,
            _channel.UnaryAsync(TestServiceMethods.UnaryCall, request, new CallOptions { Headers = EchoMetadata() }));

        Assert.Equal(EchoTrailingValue, ex.Trailers.Get(EchoTrailingKey)?.ValueBytes);
    }

    [Fact]
    public async Task ResponseLargerThanLimit_EndsWithResourceExhausted()
    {
        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxReceiveMessageSize = 1000 });
        var request = new SimpleRequest { ResponseSize = 314159 };

        await Expect.StatusAsync(StatusCode.ResourceExhausted, channel.UnaryAsync(TestServiceMethods.UnaryCall, request));
    }

    [Fact]
    public async Task RequestLargerThanLimit_EndsWithResourceExhausted()
    {
        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxSendMessageSize = 1000 });
        var request = new SimpleRequest { Payload = Zeros(271828) };

        var ex = await Expect.StatusAsync(StatusCode.ResourceExhausted, channel.UnaryAsync(TestServiceMethods.UnaryCall, request));
        Assert.Contains("Sending message larger than max", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManyConcurrentCalls_ShareTheChannel()
    {
        var calls = Enumerable.Range(0, 200).Select(i =>
            _channel.UnaryAsync(TestServiceMethods.UnaryCall, new SimpleRequest { ResponseSize = i, Payload = Zeros(i) }));

        var responses = await Task.WhenAll(calls).Bounded();

        Assert.Equal(Enumerable.Range(0, 200), responses.Select(r => r.Payload.Body.Length));
    }

    [Fact]
    public async Task HealthCheck_WithHubContracts_ReportsServing()
    {
        var check = Method.Protobuf<global::Grpc.Health.V1.HealthCheckRequest, global::Grpc.Health.V1.HealthCheckResponse>(
            AnalyticsHub.Protocol.Grpc.MethodType.Unary, "grpc.health.v1.Health", "Check");

        var response = await _channel.UnaryAsync(check, new global::Grpc.Health.V1.HealthCheckRequest { Service = "grpc.testing.TestService" }).Bounded();

        Assert.Equal(global::Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Requests_CarryTheGrpcHeaders()
    {
        using var channel = RecordingChannel();
        await channel.UnaryAsync(TestServiceMethods.EmptyCall, new Empty()).Bounded();

        var exchange = _recorder.Exchanges.Last();
        Assert.Equal(new Version(2, 0), exchange.RequestVersion);
        Assert.Equal(new Version(2, 0), exchange.ResponseVersion);
        Assert.Equal("trailers", exchange.RequestHeaders["te"]);
        Assert.StartsWith("analyticshub-dotnet/", exchange.RequestHeaders["user-agent"], StringComparison.Ordinal);
        Assert.Equal("identity,deflate,gzip", exchange.RequestHeaders["grpc-accept-encoding"]);
        Assert.False(exchange.RequestHeaders.ContainsKey("grpc-timeout"));
        Assert.Equal("/grpc.testing.TestService/EmptyCall", exchange.Uri.AbsolutePath);
    }

    private GrpcChannel RecordingChannel() =>
        GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = _recorder, DisposeHttpHandler = false });

    private static Metadata EchoMetadata()
    {
        var metadata = new Metadata();
        metadata.Add(EchoInitialKey, EchoInitialValue);
        metadata.Add(EchoTrailingKey, EchoTrailingValue);
        return metadata;
    }

    private static Payload Zeros(int size) => new() { Body = ByteString.CopyFrom(new byte[size]) };

    private static void AssertZeros(Payload payload, int size)
    {
        Assert.Equal(size, payload.Body.Length);
        Assert.True(payload.Body.Span.IndexOfAnyExcept((byte)0) < 0, "payload is not all zeros");
    }
}

/// <summary>The interop cases against the gRPC C-core reference server (python3-grpcio).</summary>
public sealed class ReferenceServerInteropTests(ReferenceServerFixture server)
    : InteropCases(server.Address), IClassFixture<ReferenceServerFixture>;

/// <summary>The interop cases against tests/AnalyticsHub.Interop.Server, run as its own process.</summary>
public sealed class HubInteropServerTests(HubInteropServerFixture server)
    : InteropCases(server.Address), IClassFixture<HubInteropServerFixture>;
