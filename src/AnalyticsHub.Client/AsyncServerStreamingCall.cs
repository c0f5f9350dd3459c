using AnalyticsHub.Client.Internal;
using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Client;

/// <summary>
/// A server-streaming call in flight: read <see cref="ResponseStream"/> until it ends; the status
/// is then available (a non-OK status is thrown by the read that reaches it).
/// </summary>
public sealed class AsyncServerStreamingCall<TResponse> : IDisposable
{
    private readonly ICallState _call;

    internal AsyncServerStreamingCall(ICallState call, IAsyncStreamReader<TResponse> responseStream)
    {
        _call = call;
        ResponseStream = responseStream;
    }

    public IAsyncStreamReader<TResponse> ResponseStream { get; }

    public Task<Metadata> ResponseHeadersAsync => _call.GetResponseHeadersAsync();

    public Status GetStatus() => _call.GetStatus();

    public Metadata GetTrailers() => _call.GetTrailers();

    /// <summary>Cancels the call if it is still running (its HTTP/2 stream is reset) and releases its resources.</summary>
    public void Dispose() => _call.Dispose();
}
