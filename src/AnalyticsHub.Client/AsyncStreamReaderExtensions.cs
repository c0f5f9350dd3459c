using System.Runtime.CompilerServices;

namespace AnalyticsHub.Client;

/// <summary><c>await foreach</c> over a response stream.</summary>
public static class AsyncStreamReaderExtensions
{
    /// <summary>Every remaining message of the stream; throws <see cref="AnalyticsHub.Protocol.Grpc.RpcException"/> when the call fails.</summary>
    public static async IAsyncEnumerable<T> ReadAllAsync<T>(
        this IAsyncStreamReader<T> reader,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        while (await reader.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            yield return reader.Current;
        }
    }
}
