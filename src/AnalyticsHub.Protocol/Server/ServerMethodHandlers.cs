namespace AnalyticsHub.Protocol.Server;

public delegate ValueTask<TResponse> UnaryServerMethod<TRequest, TResponse>(TRequest request, ServerCallContext context);

public delegate ValueTask<TResponse> ClientStreamingServerMethod<TRequest, TResponse>(
    IAsyncStreamReader<TRequest> requestStream, ServerCallContext context);

public delegate Task ServerStreamingServerMethod<TRequest, TResponse>(
    TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context);

public delegate Task DuplexStreamingServerMethod<TRequest, TResponse>(
    IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context);

/// <summary>
/// A handler that works on raw frames: it reads payloads from <see cref="ServerCallContext.RequestReader"/>
/// and writes through <see cref="ServerCallContext.WriteMessageAsync{T}"/>. Used where decoding must be zero-copy.
/// </summary>
public delegate Task RawServerMethod(ServerCallContext context);
