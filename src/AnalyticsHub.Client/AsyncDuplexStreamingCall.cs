using AnalyticsHub.Client.Internal;
using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Client;

/// <summary>
/// A bidirectional call in flight: <see cref="RequestStream"/> and <see cref="ResponseStream"/> are
/// independent and may be used from two tasks at once (one writer, one reader).
/// </summary>
public sealed class AsyncDuplexStreamingCall<TRequest, TResponse> : IDisposable
{
    private readonly ICallState _call;

    internal AsyncDuplexStreamingCall(ICallState call, IClientStreamWriter<TRequest> requestStream, IAsyncStreamReader<TResponse> responseStream)
    {
        _call = call;
        RequestStream = requestStream;
        ResponseStream = responseStream;
    }

    public IClientStreamWriter<TRequest> RequestStream { get; }

    public IAsyncStreamReader<TResponse> ResponseStream { get; }

    public Task<Metadata> ResponseHeadersAsync => _call.GetResponseHeadersAsync();

    public Status GetStatus() => _call.GetStatus();

    public Metadata GetTrailers() => _call.GetTrailers();

    /// <summary>Cancels the call if it is still running (its HTTP/2 stream is reset) and releases its resources.</summary>
    public void Dispose() => _call.Dispose();
}
