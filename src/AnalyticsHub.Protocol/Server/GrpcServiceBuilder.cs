using AnalyticsHub.Protocol.Grpc;
using AnalyticsHub.Protocol.Server.Internal;
using Google.Protobuf;

namespace AnalyticsHub.Protocol.Server;

/// <summary>Binds handlers to the methods of one service.</summary>
public sealed class GrpcServiceBuilder
{
    private readonly GrpcServiceRegistry _registry;

    internal GrpcServiceBuilder(GrpcServiceRegistry registry, string serviceName)
    {
        _registry = registry;
        ServiceName = serviceName;
    }

    public string ServiceName { get; }

    public GrpcServiceBuilder Unary<TRequest, TResponse>(
        string method, IMessageCodec<TRequest> requestCodec, IMessageCodec<TResponse> responseCodec, UnaryServerMethod<TRequest, TResponse> handler)
        => Add(new UnaryMethod<TRequest, TResponse>(ServiceName, method, requestCodec, responseCodec, handler));

    public GrpcServiceBuilder ClientStreaming<TRequest, TResponse>(
        string method, IMessageCodec<TRequest> requestCodec, IMessageCodec<TResponse> responseCodec, ClientStreamingServerMethod<TRequest, TResponse> handler)
        => Add(new ClientStreamingMethod<TRequest, TResponse>(ServiceName, method, requestCodec, responseCodec, handler));

    public GrpcServiceBuilder ServerStreaming<TRequest, TResponse>(
        string method, IMessageCodec<TRequest> requestCodec, IMessageCodec<TResponse> responseCodec, ServerStreamingServerMethod<TRequest, TResponse> handler)
        => Add(new ServerStreamingMethod<TRequest, TResponse>(ServiceName, method, requestCodec, responseCodec, handler));

    public GrpcServiceBuilder DuplexStreaming<TRequest, TResponse>(
        string method, IMessageCodec<TRequest> requestCodec, IMessageCodec<TResponse> responseCodec, DuplexStreamingServerMethod<TRequest, TResponse> handler)
        => Add(new DuplexStreamingMethod<TRequest, TResponse>(ServiceName, method, requestCodec, responseCodec, handler));

    /// <summary>A handler that reads and writes frames itself (zero-copy decoding).</summary>
    public GrpcServiceBuilder Raw(string method, MethodType type, RawServerMethod handler)
        => Add(new RawMethod(ServiceName, method, type, handler));

    public GrpcServiceBuilder Unary<TRequest, TResponse>(string method, UnaryServerMethod<TRequest, TResponse> handler)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>, new()
        => Unary(method, ProtobufCodec<TRequest>.Instance, ProtobufCodec<TResponse>.Instance, handler);

    public GrpcServiceBuilder ClientStreaming<TRequest, TResponse>(string method, ClientStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>, new()
        => ClientStreaming(method, ProtobufCodec<TRequest>.Instance, ProtobufCodec<TResponse>.Instance, handler);

    public GrpcServiceBuilder ServerStreaming<TRequest, TResponse>(string method, ServerStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>, new()
        => ServerStreaming(method, ProtobufCodec<TRequest>.Instance, ProtobufCodec<TResponse>.Instance, handler);

    public GrpcServiceBuilder DuplexStreaming<TRequest, TResponse>(string method, DuplexStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>, new()
        => DuplexStreaming(method, ProtobufCodec<TRequest>.Instance, ProtobufCodec<TResponse>.Instance, handler);

    private GrpcServiceBuilder Add(ServerMethod method)
    {
        _registry.Add(method);
        return this;
    }
}
