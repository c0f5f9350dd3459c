using System.IO.Pipelines;
using AnalyticsHub.Protocol.Compression;
using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Client.Internal;

/// <summary>
/// Writes request messages of a streaming call into the request body's pipe and flushes each one
/// onto the HTTP/2 stream; the flush waits for HTTP/2 flow control, so a slow server slows the writer.
/// </summary>
internal sealed class RequestStreamWriter<TRequest>(
    ICallFailureSink call,
    StreamingRequestContent content,
    IMessageCodec<TRequest> codec,
    int maxMessageSize,
    ICompressionProvider? compression) : IClientStreamWriter<TRequest>
{
    private const int Idle = 0;
    private const int Writing = 1;
    private const int Completed = 2;

    private GrpcMessageWriter? _messageWriter;
    private int _state;

    public WriteOptions WriteOptions { get; set; }

    public async Task WriteAsync(TRequest message, CancellationToken cancellationToken = default)
    {
        var previous = Interlocked.CompareExchange(ref _state, Writing, Idle);
        if (previous != Idle)
        {
            throw new InvalidOperationException(previous == Writing
                ? "Can't write the message because the previous write is in progress."
                : "Can't write the message because the request stream has been completed.");
        }

        try
        {
            ThrowIfCallEnded();
            using var registration = cancellationToken.CanBeCanceled
                ? cancellationToken.UnsafeRegister(static state => ((ICallFailureSink)state!).Cancel(), call)
                : default;
            var writer = await GetWriterAsync().ConfigureAwait(false);
            try
            {
                _messageWriter ??= new GrpcMessageWriter(writer, maxMessageSize) { Compression = compression };
                _messageWriter.Write(message, codec, compress: !WriteOptions.NoCompress);
            }
            catch (Exception ex)
            {
                // A message we cannot encode or send (size limit) fails the call.
                throw call.Fail(ex);
            }

            await writer.FlushAsync(call.CallCancellation).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or not (RpcException or InvalidOperationException))
        {
            throw TranslateWriteFailure(ex);
        }
        finally
        {
            Interlocked.CompareExchange(ref _state, Idle, Writing);
        }
    }

    public async Task CompleteAsync()
    {
        var previous = Interlocked.CompareExchange(ref _state, Completed, Idle);
        if (previous == Completed)
        {
            return;
        }

        if (previous == Writing)
        {
            throw new InvalidOperationException("Can't complete the request stream while a write is in progress.");
        }

        if (call.FinalStatus is not null)
        {
            return; // the call is over; there is nothing left to half-close
        }

        try
        {
            var writer = await GetWriterAsync().ConfigureAwait(false);
            await writer.CompleteAsync().ConfigureAwait(false);
            content.MarkCompleted();
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw TranslateWriteFailure(ex);
        }
        finally
        {
            _messageWriter?.Dispose();
            _messageWriter = null;
        }
    }

    private async Task<PipeWriter> GetWriterAsync()
    {
        var task = content.WriterTask;
        if (task.IsCompletedSuccessfully)
        {
            return task.Result;
        }

        return await task.WaitAsync(call.CallCancellation).ConfigureAwait(false);
    }

    private void ThrowIfCallEnded()
    {
        if (call.FinalStatus is { } status)
        {
            throw status.StatusCode == StatusCode.OK
                ? new InvalidOperationException("Can't write the message because the call is complete.")
                : call.CreateFinalException();
        }
    }

    private Exception TranslateWriteFailure(Exception exception)
    {
        if (call.FinalStatus is { } status)
        {
            return status.StatusCode == StatusCode.OK
                ? new InvalidOperationException("Can't write the message because the call is complete.", exception)
                : call.CreateFinalException();
        }

        // The transport closed the request stream while the response is still being read: the
        // server has ended the call, and the response (ResponseAsync / MoveNext) carries its status.
        return new InvalidOperationException(
            "Can't write the message because the request stream was closed; read the response for the call's status.",
            exception);
    }
}
