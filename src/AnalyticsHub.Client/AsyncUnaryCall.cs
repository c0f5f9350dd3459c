using System.Runtime.CompilerServices;
using AnalyticsHub.Client.Internal;
using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Client;

/// <summary>
/// A unary call in flight. Await it (or <see cref="ResponseAsync"/>) for the response; dispose it to
/// cancel it if it has not finished.
/// </summary>
public sealed class AsyncUnaryCall<TResponse> : IDisposable
{
    private readonly ICallState _call;

    internal AsyncUnaryCall(ICallState call, Task<TResponse> responseAsync)
    {
        _call = call;
        ResponseAsync = responseAsync;
    }

    /// <summary>The response message; faults with <see cref="RpcException"/> when the call fails.</summary>
    public Task<TResponse> ResponseAsync { get; }

    /// <summary>The response headers (custom metadata) once they arrive.</summary>
    public Task<Metadata> ResponseHeadersAsync => _call.GetResponseHeadersAsync();

    /// <summary>The final status. Throws <see cref="InvalidOperationException"/> while the call runs.</summary>
    public Status GetStatus() => _call.GetStatus();

    /// <summary>The trailers. Throws <see cref="InvalidOperationException"/> while the call runs.</summary>
    public Metadata GetTrailers() => _call.GetTrailers();

    public TaskAwaiter<TResponse> GetAwaiter() => ResponseAsync.GetAwaiter();

    /// <summary>Cancels the call if it is still running (its HTTP/2 stream is reset) and releases its resources.</summary>
    public void Dispose() => _call.Dispose();
}
