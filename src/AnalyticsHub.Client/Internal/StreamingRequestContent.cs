using System.IO.Pipelines;
using System.Net;

namespace AnalyticsHub.Client.Internal;

/// <summary>
/// The body of a client-streaming or duplex call. When the handler starts sending it, the
/// HEADERS frame is flushed and the <see cref="PipeWriter"/> over the request stream is handed to
/// <see cref="RequestStreamWriter{TRequest}"/>, which writes messages as the caller produces them;
/// the body ends (END_STREAM) when the caller completes the stream.
/// </summary>
internal sealed class StreamingRequestContent : GrpcRequestContent
{
    private readonly TaskCompletionSource<PipeWriter> _writer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the writer once the request stream is open; faults if the call ends first.</summary>
    public Task<PipeWriter> WriterTask => _writer.Task;

    /// <summary>The caller completed the stream and the writer is flushed: let the handler send END_STREAM.</summary>
    public void MarkCompleted() => _completed.TrySetResult();

    public override void OnCallEnded(bool ok)
    {
        // Wakes writers that wait for the stream, and ends the body if the caller never completed it
        // (the handler resets the stream if the server has not finished it).
        _writer.TrySetCanceled();
        _completed.TrySetCanceled();
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        if (_writer.Task.IsCompleted)
        {
            // A handler retry after the body started, or the call is already over: the messages cannot be replayed.
            throw new OperationCanceledException("The gRPC request stream can be sent only once.");
        }

        // Without this the handler holds HEADERS back until the first DATA frame; the server
        // should see the call begin even before the caller writes anything.
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);

        var writer = PipeWriter.Create(stream, WriterOptions);
        using var registration = cancellationToken.UnsafeRegister(
            static state => ((StreamingRequestContent)state!).OnCallEnded(ok: false), this);
        if (!_writer.TrySetResult(writer))
        {
            throw new OperationCanceledException("The gRPC call ended before its request stream opened.");
        }

        // Messages are written and flushed by RequestStreamWriter; this only keeps the body open.
        await _completed.Task.ConfigureAwait(false);
    }
}
