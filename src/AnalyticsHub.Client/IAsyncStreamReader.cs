using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Client;

/// <summary>The response side of a server-streaming or duplex call.</summary>
public interface IAsyncStreamReader<out T>
{
    /// <summary>The message read by the last successful <see cref="MoveNext"/>.</summary>
    T Current { get; }

    /// <summary>
    /// Reads the next message: true with <see cref="Current"/> set, false when the server ended the call with OK.
    /// </summary>
    /// <param name="cancellationToken">Cancelling it cancels the whole call.</param>
    /// <exception cref="RpcException">The call ended with a non-OK status, or the response was malformed.</exception>
    Task<bool> MoveNext(CancellationToken cancellationToken = default);
}
