using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Client;

/// <summary>
/// The request side of a client-streaming or duplex call. Each message goes onto the HTTP/2
/// stream as it is written (subject to flow control); one write at a time.
/// </summary>
public interface IClientStreamWriter<in T>
{
    /// <summary>Options for the messages written from now on (e.g. <see cref="WriteOptions.Uncompressed"/>).</summary>
    WriteOptions WriteOptions { get; set; }

    /// <summary>Writes one message and waits until the transport has taken it.</summary>
    /// <param name="cancellationToken">Cancelling it cancels the whole call.</param>
    /// <exception cref="RpcException">The call has failed (with its status).</exception>
    /// <exception cref="InvalidOperationException">A write is in progress, the stream was completed, or the call has already ended with OK.</exception>
    Task WriteAsync(T message, CancellationToken cancellationToken = default);

    /// <summary>Half-closes the request: no more messages (HTTP/2 END_STREAM).</summary>
    Task CompleteAsync();
}
