using System.IO.Pipelines;
using System.Net;
using AnalyticsHub.Protocol.Compression;
using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Client.Internal;

/// <summary>
/// The body of a unary or server-streaming call: one message, encoded straight into the pipe
/// that feeds the HTTP/2 stream, then END_STREAM. It can be sent again if the handler retries.
/// </summary>
internal sealed class UnaryRequestContent<TRequest>(
    ICallFailureSink owner,
    TRequest message,
    IMessageCodec<TRequest> codec,
    int maxMessageSize,
    ICompressionProvider? compression,
    bool compress) : GrpcRequestContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var writer = PipeWriter.Create(stream, WriterOptions);
        try
        {
            try
            {
                using var messageWriter = new GrpcMessageWriter(writer, maxMessageSize) { Compression = compression };
                messageWriter.Write(message, codec, compress);
            }
            catch (Exception ex)
            {
                // Our own failure (codec, size limit): it decides the call's status, not the reset it causes.
                throw owner.Fail(ex);
            }

            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await writer.CompleteAsync(ex).ConfigureAwait(false);
            throw;
        }

        await writer.CompleteAsync().ConfigureAwait(false);
    }
}
