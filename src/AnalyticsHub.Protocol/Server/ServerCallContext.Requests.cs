using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Protocol.Server;

public sealed partial class ServerCallContext
{
    /// <summary>Reads the one request message of a unary or server-streaming call, and checks nothing follows it.</summary>
    public async ValueTask<T> ReadSingleRequestAsync<T>(IMessageCodec<T> codec)
    {
        if (!await RequestReader.MoveNextAsync(CancellationToken).ConfigureAwait(false))
        {
            throw new RpcException(StatusCode.Internal, "The request did not include a message.");
        }

        var request = codec.Decode(RequestReader.Current);
        if (await RequestReader.MoveNextAsync(CancellationToken).ConfigureAwait(false))
        {
            throw new RpcException(StatusCode.Internal, "The request included more than one message for a method that takes one.");
        }

        return request;
    }
}
