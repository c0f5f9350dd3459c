using AnalyticsHub.Protocol.Grpc;
using Google.Protobuf;

namespace AnalyticsHub.Client;

/// <summary>
/// Describes one RPC: its shape, its HTTP/2 path <c>/package.Service/Method</c>, and how its
/// messages are encoded. Create one per method and reuse it for every call.
/// </summary>
public sealed class Method<TRequest, TResponse>
{
    public Method(
        MethodType type,
        string serviceName,
        string name,
        IMessageCodec<TRequest> requestCodec,
        IMessageCodec<TResponse> responseCodec)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (serviceName.Contains('/', StringComparison.Ordinal) || name.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException("Service and method names must not contain '/'.");
        }

        Type = type;
        ServiceName = serviceName;
        Name = name;
        FullName = $"/{serviceName}/{name}";
        RequestCodec = requestCodec ?? throw new ArgumentNullException(nameof(requestCodec));
        ResponseCodec = responseCodec ?? throw new ArgumentNullException(nameof(responseCodec));
    }

    public MethodType Type { get; }

    /// <summary>Fully qualified service name, e.g. <c>grpc.health.v1.Health</c>.</summary>
    public string ServiceName { get; }

    /// <summary>Method name, e.g. <c>Check</c>.</summary>
    public string Name { get; }

    /// <summary>The HTTP/2 <c>:path</c>: <c>/grpc.health.v1.Health/Check</c>.</summary>
    public string FullName { get; }

    public IMessageCodec<TRequest> RequestCodec { get; }

    public IMessageCodec<TResponse> ResponseCodec { get; }

    public override string ToString() => FullName;
}

/// <summary>Factory for <see cref="Method{TRequest, TResponse}"/> over Google.Protobuf messages.</summary>
public static class Method
{
    /// <summary>A method whose messages are Google.Protobuf generated types, encoded with <see cref="ProtobufCodec{T}"/>.</summary>
    public static Method<TRequest, TResponse> Protobuf<TRequest, TResponse>(MethodType type, string serviceName, string name)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>, new() =>
        new(type, serviceName, name, ProtobufCodec<TRequest>.Instance, ProtobufCodec<TResponse>.Instance);
}
