using System.Net;
using System.Threading.Channels;

namespace AnalyticsHub.Testing;

/// <summary>
/// A request body the test writes piece by piece while the call runs (HTTP/2 full duplex):
/// each <see cref="SendAsync"/> is written and flushed at once; <see cref="Complete"/> ends the stream.
/// Until then the request stays open.
/// </summary>
public sealed class StreamingContent : HttpContent
{
    private readonly Channel<byte[]> _chunks = Channel.CreateUnbounded<byte[]>();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StreamingContent(string contentType = "application/grpc")
    {
        Headers.TryAddWithoutValidation("content-type", contentType);
    }

    /// <summary>Completes when the handler has begun sending the body.</summary>
    public Task Started => _started.Task;

    public ValueTask SendAsync(byte[] chunk) => _chunks.Writer.WriteAsync(chunk);

    public void Complete() => _chunks.Writer.TryComplete();

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        _started.TrySetResult();
        await foreach (var chunk in _chunks.Reader.ReadAllAsync(cancellationToken))
        {
            await stream.WriteAsync(chunk, cancellationToken);
            await stream.FlushAsync(cancellationToken);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Complete();
        }

        base.Dispose(disposing);
    }
}
