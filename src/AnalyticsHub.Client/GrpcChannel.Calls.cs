using AnalyticsHub.Client.Internal;
using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Client;

/// <summary>Starting calls: one method per call shape.</summary>
public sealed partial class GrpcChannel
{
    /// <summary>Makes a unary call and returns its response; a failed call throws <see cref="AnalyticsHub.Protocol.Grpc.RpcException"/>.</summary>
    public async Task<TResponse> UnaryAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
    {
        using var call = StartUnaryCall(method, request, options);
        return await call.ResponseAsync.ConfigureAwait(false);
    }

    /// <summary>Starts a unary call; the returned call also gives its headers, status and trailers.</summary>
    public AsyncUnaryCall<TResponse> StartUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
    {
        var call = CreateCall(method, MethodType.Unary, options);
        call.StartWithMessage(request);
        return new AsyncUnaryCall<TResponse>(call, Observed(call.ReadUnaryResponseAsync()));
    }

    /// <summary>Starts a client-streaming call.</summary>
    public AsyncClientStreamingCall<TRequest, TResponse> StartClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, CallOptions options = default)
    {
        var call = CreateCall(method, MethodType.ClientStreaming, options);
        var writer = call.StartStreaming();
        return new AsyncClientStreamingCall<TRequest, TResponse>(call, writer, Observed(call.ReadUnaryResponseAsync()));
    }

    /// <summary>Starts a server-streaming call.</summary>
    public AsyncServerStreamingCall<TResponse> StartServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
    {
        var call = CreateCall(method, MethodType.ServerStreaming, options);
        call.StartWithMessage(request);
        return new AsyncServerStreamingCall<TResponse>(call, call);
    }

    /// <summary>Starts a bidirectional-streaming call.</summary>
    public AsyncDuplexStreamingCall<TRequest, TResponse> StartDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, CallOptions options = default)
    {
        var call = CreateCall(method, MethodType.DuplexStreaming, options);
        var writer = call.StartStreaming();
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(call, writer, call);
    }

    private GrpcCall<TRequest, TResponse> CreateCall<TRequest, TResponse>(Method<TRequest, TResponse> method, MethodType expected, in CallOptions options)
    {
        ArgumentNullException.ThrowIfNull(method);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (method.Type != expected)
        {
            throw new ArgumentException($"{method.FullName} is a {method.Type} method, not {expected}.", nameof(method));
        }

        return new GrpcCall<TRequest, TResponse>(this, method, options);
    }

    /// <summary>Marks a failure as observed, so a call whose response nobody awaits does not raise UnobservedTaskException.</summary>
    private static Task<T> Observed<T>(Task<T> task)
    {
        if (!task.IsCompleted)
        {
            task.ContinueWith(
                static t => _ = t.Exception,
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
        else
        {
            _ = task.Exception;
        }

        return task;
    }
}
