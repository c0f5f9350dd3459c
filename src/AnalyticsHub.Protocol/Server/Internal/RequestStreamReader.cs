using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Protocol.Server.Internal;

/// <summary>Decodes request messages one at a time from the call's frame reader.</summary>
internal sealed class RequestStreamReader<T>(ServerCallContext context, IMessageCodec<T> codec) : IAsyncStreamReader<T>
{
    private T? _current;

    public T Current => _current ?? throw new InvalidOperationException("MoveNextAsync has not returned true.");

    public async ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken = default)
    {
        var token = cancellationToken.CanBeCanceled ? cancellationToken : context.CancellationToken;
        if (!await context.RequestReader.MoveNextAsync(token).ConfigureAwait(false))
        {
            _current = default;
            return false;
        }

        _current = codec.Decode(context.RequestReader.Current);
        return true;
    }
}

/// <summary>Writes and flushes response messages of a streaming call.</summary>
internal sealed class ResponseStreamWriter<T>(ServerCallContext context, IMessageCodec<T> codec) : IServerStreamWriter<T>
{
    public ValueTask WriteAsync(T message, CancellationToken cancellationToken = default) =>
        context.WriteMessageAsync(message, codec, flush: true, cancellationToken);
}
