namespace AnalyticsHub.Protocol.Server;

/// <summary>The request messages of a client-streaming or duplex call, read one at a time.</summary>
public interface IAsyncStreamReader<out T>
{
    T Current { get; }

    /// <summary>Advances to the next message; false once the client has half-closed.</summary>
    ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken = default);
}

/// <summary>The response messages of a server-streaming or duplex call.</summary>
public interface IServerStreamWriter<in T>
{
    /// <summary>Writes and flushes one message; completes when HTTP/2 flow control lets it out.</summary>
    ValueTask WriteAsync(T message, CancellationToken cancellationToken = default);
}

/// <summary>Helpers over <see cref="IAsyncStreamReader{T}"/>.</summary>
public static class AsyncStreamReaderExtensions
{
    public static async IAsyncEnumerable<T> ReadAllAsync<T>(
        this IAsyncStreamReader<T> reader,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await reader.MoveNextAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return reader.Current;
        }
    }
}
