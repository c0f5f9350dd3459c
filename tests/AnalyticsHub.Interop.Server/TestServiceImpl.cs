using AnalyticsHub.Protocol.Grpc;
using AnalyticsHub.Protocol.Server;
using Google.Protobuf;
using Grpc.Testing;

namespace AnalyticsHub.Interop.Server;

/// <summary>
/// grpc.testing.TestService as gRPC's interop test descriptions require of a server: payloads of
/// zeros of the requested size, echoed status and metadata, and compression on request.
/// </summary>
public static class TestServiceImpl
{
    public const string ServiceName = "grpc.testing.TestService";
    private const string EchoInitialKey = "x-grpc-test-echo-initial";
    private const string EchoTrailingKey = "x-grpc-test-echo-trailing-bin";

    public static void Register(GrpcServiceRegistry registry)
    {
        registry.AddService(TestReflection.Descriptor.Services.Single(s => s.FullName == ServiceName))
            .Unary<Empty, Empty>("EmptyCall", (_, context) => { EchoMetadata(context); return ValueTask.FromResult(new Empty()); })
            .Unary<SimpleRequest, SimpleResponse>("UnaryCall", UnaryCall)
            .Unary<SimpleRequest, SimpleResponse>("CacheableUnaryCall", UnaryCall)
            .ServerStreaming<StreamingOutputCallRequest, StreamingOutputCallResponse>("StreamingOutputCall", StreamingOutputCall)
            .ClientStreaming<StreamingInputCallRequest, StreamingInputCallResponse>("StreamingInputCall", StreamingInputCall)
            .DuplexStreaming<StreamingOutputCallRequest, StreamingOutputCallResponse>("FullDuplexCall", FullDuplexCall)
            .DuplexStreaming<StreamingOutputCallRequest, StreamingOutputCallResponse>("HalfDuplexCall", HalfDuplexCall);

        // UnimplementedCall and grpc.testing.UnimplementedService are deliberately not bound.
    }

    private static ValueTask<SimpleResponse> UnaryCall(SimpleRequest request, ServerCallContext context)
    {
        EchoMetadata(context);
        CheckExpectCompressed(request.ExpectCompressed, context);
        ThrowIfEchoStatus(request.ResponseStatus);
        SetResponseCompression(context, request.ResponseCompressed?.Value == true);
        return ValueTask.FromResult(new SimpleResponse { Payload = Zeros(request.ResponseSize) });
    }

    private static async Task StreamingOutputCall(
        StreamingOutputCallRequest request, IServerStreamWriter<StreamingOutputCallResponse> responses, ServerCallContext context)
    {
        EchoMetadata(context);
        await WriteResponsesAsync(request, responses, context).ConfigureAwait(false);
        ThrowIfEchoStatus(request.ResponseStatus);
    }

    private static async ValueTask<StreamingInputCallResponse> StreamingInputCall(
        IAsyncStreamReader<StreamingInputCallRequest> requests, ServerCallContext context)
    {
        EchoMetadata(context);
        var total = 0;
        while (await requests.MoveNextAsync().ConfigureAwait(false))
        {
            CheckExpectCompressed(requests.Current.ExpectCompressed, context);
            total += requests.Current.Payload?.Body.Length ?? 0;
        }

        return new StreamingInputCallResponse { AggregatedPayloadSize = total };
    }

    private static async Task FullDuplexCall(
        IAsyncStreamReader<StreamingOutputCallRequest> requests, IServerStreamWriter<StreamingOutputCallResponse> responses, ServerCallContext context)
    {
        EchoMetadata(context);
        while (await requests.MoveNextAsync().ConfigureAwait(false))
        {
            ThrowIfEchoStatus(requests.Current.ResponseStatus);
            await WriteResponsesAsync(requests.Current, responses, context).ConfigureAwait(false);
        }
    }

    private static async Task HalfDuplexCall(
        IAsyncStreamReader<StreamingOutputCallRequest> requests, IServerStreamWriter<StreamingOutputCallResponse> responses, ServerCallContext context)
    {
        EchoMetadata(context);
        var buffered = new List<StreamingOutputCallRequest>();
        while (await requests.MoveNextAsync().ConfigureAwait(false))
        {
            buffered.Add(requests.Current);
        }

        foreach (var request in buffered)
        {
            ThrowIfEchoStatus(request.ResponseStatus);
            await WriteResponsesAsync(request, responses, context).ConfigureAwait(false);
        }
    }

    private static async Task WriteResponsesAsync(
        StreamingOutputCallRequest request, IServerStreamWriter<StreamingOutputCallResponse> responses, ServerCallContext context)
    {
        foreach (var parameters in request.ResponseParameters)
        {
            if (parameters.IntervalUs > 0)
            {
                await Task.Delay(TimeSpan.FromMicroseconds(parameters.IntervalUs), context.CancellationToken).ConfigureAwait(false);
            }

            SetResponseCompression(context, parameters.Compressed?.Value == true);
            await responses.WriteAsync(new StreamingOutputCallResponse { Payload = Zeros(parameters.Size) }).ConfigureAwait(false);
        }
    }

    private static void SetResponseCompression(ServerCallContext context, bool compress)
    {
        // The encoding is fixed once headers are out; later messages choose only the per-message flag.
        if (compress && context.ResponseEncoding is null && !context.HttpContext.Response.HasStarted && context.ClientAcceptsEncoding("gzip"))
        {
            context.ResponseEncoding = "gzip";
        }

        context.CompressResponses = compress;
    }

    private static void CheckExpectCompressed(BoolValue? expectCompressed, ServerCallContext context)
    {
        if (expectCompressed?.Value == true && !context.RequestReader.CurrentWasCompressed)
        {
            throw new RpcException(StatusCode.InvalidArgument, "Expected a compressed message but it was not compressed.");
        }

        if (expectCompressed is { Value: false } && context.RequestReader.CurrentWasCompressed)
        {
            throw new RpcException(StatusCode.InvalidArgument, "Expected an uncompressed message but it was compressed.");
        }
    }

    private static void ThrowIfEchoStatus(EchoStatus? status)
    {
        if (status is { Code: not 0 })
        {
            throw new RpcException((StatusCode)status.Code, status.Message);
        }
    }

    private static void EchoMetadata(ServerCallContext context)
    {
        if (context.RequestHeaders.Get(EchoInitialKey) is { } initial)
        {
            context.ResponseHeaders.Add(initial);
        }

        if (context.RequestHeaders.Get(EchoTrailingKey) is { } trailing)
        {
            context.ResponseTrailers.Add(trailing);
        }
    }

    private static Payload Zeros(int size) => new() { Body = ByteString.CopyFrom(new byte[Math.Max(0, size)]) };
}
