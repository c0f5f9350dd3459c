using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Client.Internal;

/// <summary>
/// The body of a gRPC request: <c>content-type: application/grpc</c>, no length (HTTP/2 DATA
/// frames until END_STREAM), written through a <see cref="PipeWriter"/> over the request stream.
/// </summary>
internal abstract class GrpcRequestContent : HttpContent
{
    /// <summary>Pipe segments of one HTTP/2 DATA frame's default maximum size.</summary>
    protected static readonly StreamPipeWriterOptions WriterOptions = new(minimumBufferSize: 16 * 1024, leaveOpen: true);

    protected GrpcRequestContent()
    {
        Headers.ContentType = new MediaTypeHeaderValue(GrpcProtocol.ContentType);
    }

    /// <summary>The call has ended (with <paramref name="ok"/> status or not): release anything waiting on the body.</summary>
    public virtual void OnCallEnded(bool ok)
    {
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected abstract override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken);
}
