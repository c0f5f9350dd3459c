using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Protocol.Server.Internal;

internal sealed class UnaryMethod<TRequest, TResponse>(
    string service, string method, IMessageCodec<TRequest> requestCodec, IMessageCodec<TResponse> responseCodec,
    UnaryServerMethod<TRequest, TResponse> handler)
    : ServerMethod(service, method, MethodType.Unary)
{
    public override async Task InvokeAsync(ServerCallContext context)
    {
        var request = await context.ReadSingleRequestAsync(requestCodec).ConfigureAwait(false);
        var response = await handler(request, context).ConfigureAwait(false);
        if (context.Status.StatusCode == StatusCode.OK)
        {
            await context.WriteMessageAsync(response, responseCodec, flush: false).ConfigureAwait(false);
        }
    }
}

internal sealed class ClientStreamingMethod<TRequest, TResponse>(
    string service, string method, IMessageCodec<TRequest> requestCodec, IMessageCodec<TResponse> responseCodec,
    ClientStreamingServerMethod<TRequest, TResponse> handler)
    : ServerMethod(service, method, MethodType.ClientStreaming)
{
    public override async Task InvokeAsync(ServerCallContext context)
    {
        var requests = new RequestStreamReader<TRequest>(context, requestCodec);
        var response = await handler(requests, context).ConfigureAwait(false);
        if (context.Status.StatusCode == StatusCode.OK)
        {
            await context.WriteMessageAsync(response, responseCodec, flush: false).ConfigureAwait(false);
        }
    }
}

internal sealed class ServerStreamingMethod<TRequest, TResponse>(
    string service, string method, IMessageCodec<TRequest> requestCodec, IMessageCodec<TResponse> responseCodec,
    ServerStreamingServerMethod<TRequest, TResponse> handler)
    : ServerMethod(service, method, MethodType.ServerStreaming)
{
    public override async Task InvokeAsync(ServerCallContext context)
    {
        var request = await context.ReadSingleRequestAsync(requestCodec).ConfigureAwait(false);
        await handler(request, new ResponseStreamWriter<TResponse>(context, responseCodec), context).ConfigureAwait(false);
    }
}

internal sealed class DuplexStreamingMethod<TRequest, TResponse>(
    string service, string method, IMessageCodec<TRequest> requestCodec, IMessageCodec<TResponse> responseCodec,
    DuplexStreamingServerMethod<TRequest, TResponse> handler)
    : ServerMethod(service, method, MethodType.DuplexStreaming)
{
    public override Task InvokeAsync(ServerCallContext context) =>
        handler(
            new RequestStreamReader<TRequest>(context, requestCodec),
            new ResponseStreamWriter<TResponse>(context, responseCodec),
            context);
}

internal sealed class RawMethod(string service, string method, MethodType type, RawServerMethod handler)
    : ServerMethod(service, method, type)
{
    public override Task InvokeAsync(ServerCallContext context) => handler(context);
}
