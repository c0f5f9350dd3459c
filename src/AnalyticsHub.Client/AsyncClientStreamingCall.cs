using System.Runtime.CompilerServices;
using AnalyticsHub.Client.Internal;
using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Client;

/// <summary>
/// A client-streaming call in flight: write messages to <see cref="RequestStream"/>, complete it,
/// then await <see cref="ResponseAsync"/>.
/// </summary>
public sealed class AsyncClientStreamingCall<TRequest, TResponse> : IDisposable
{
    private readonly ICallState _call;

    internal AsyncClientStreamingCall(ICallState call, IClientStreamWriter<TRequest> requestStream, Task<TResponse> responseAsync)
    {
        _call = call;
        RequestStream = requestStream;
        ResponseAsync = responseAsync;
    }

    public IClientStreamWriter<TRequest> RequestStream { get; }

    /// <summary>The response message; faults with <see cref="RpcException"/> when the call fails.</summary>
    public Task<TResponse> ResponseAsync { get; }

    public Task<Metadata> ResponseHeadersAsync => _call.GetResponseHeadersAsync();

    public Status GetStatus() => _call.GetStatus();

    public Metadata GetTrailers() => _call.GetTrailers();

    public TaskAwaiter<TResponse> GetAwaiter() => ResponseAsync.GetAwaiter();

    /// <summary>Cancels the call if it is still running (its HTTP/2 stream is reset) and releases its resources.</summary>
    public void Dispose() => _call.Dispose();
}
