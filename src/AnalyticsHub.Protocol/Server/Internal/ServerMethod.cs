using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Protocol.Server.Internal;

/// <summary>A routable method: its path, shape, and the code that runs a call of it.</summary>
internal abstract class ServerMethod(string serviceName, string methodName, MethodType type)
{
    public string ServiceName { get; } = serviceName;

    public string Name { get; } = methodName;

    /// <summary><c>/package.Service/Method</c>.</summary>
    public string Path { get; } = $"/{serviceName}/{methodName}";

    public MethodType Type { get; } = type;

    public bool IsClientStreaming => Type is MethodType.ClientStreaming or MethodType.DuplexStreaming;

    public abstract Task InvokeAsync(ServerCallContext context);
}
