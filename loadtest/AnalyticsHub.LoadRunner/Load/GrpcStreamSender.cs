using System.Diagnostics;
using AnalyticsHub.Client;
using AnalyticsHub.Contracts.V1;
using AnalyticsHub.LoadRunner.Generation;

namespace AnalyticsHub.LoadRunner.Load;

/// <summary>
/// One producer on one <c>StreamEvents</c> call: a writer sends patched batches while fewer than
/// <c>--inflight</c> are unacknowledged; a reader takes the acks, which come one per batch in
/// order, so the send time of the batch an ack answers is found by position (a ring of W
/// timestamps, slot = sequence mod W). A failed call is counted by status and the stream is
/// reopened (sequences go on increasing: the producer id stays the same).
/// </summary>
internal sealed class GrpcStreamSender : ISender
{
    private static readonly TimeSpan ReopenDelay = TimeSpan.FromMilliseconds(100);

    private readonly RunContext _run;
    private readonly GrpcChannel _channel;
    private readonly ProtoBatchTemplate _template;
    private readonly Pacer _pacer;
    private readonly TimeSpread? _spread;
    private readonly long[] _sendTimes;
    private readonly int _window;
    private readonly int _batch;
    private ulong _sequence;

    public GrpcStreamSender(RunContext run, GrpcChannel channel, int connection, int stream, int senderIndex, Pacer pacer)
    {
        _run = run;
        _channel = channel;
        _pacer = pacer;
        _window = run.Scenario.Inflight;
        _batch = run.Scenario.Batch;
        _sendTimes = new long[_window];
        ProducerId = run.ProducerId(connection, stream);
        _template = run.CreateProtoTemplate(senderIndex, ProducerId);
        _spread = run.CreateTimeSpread(senderIndex);
    }

    public string ProducerId { get; }

    public async Task RunAsync()
    {
        var stop = _run.StopSending.Token;
        while (!stop.IsCancellationRequested)
        {
            var failed = await RunStreamAsync(stop).ConfigureAwait(false);
            if (failed && !stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(ReopenDelay, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>One call, until the run stops or the call fails; true when it failed.</summary>
    private async Task<bool> RunStreamAsync(CancellationToken stop)
    {
        using var call = _channel.StartDuplexStreamingCall(IngestMethods.StreamEvents, new CallOptions { CancellationToken = _run.Abandon.Token });
        using var writing = CancellationTokenSource.CreateLinkedTokenSource(stop);
        using var window = new SemaphoreSlim(_window, _window);
        var state = new StreamState(_sequence + 1);
        var reader = ReadAcksAsync(call, window, state, writing);
        var writerFailed = false;
        try
        {
            while (true)
            {
                await _pacer.WaitAsync(writing.Token).ConfigureAwait(false);
                var slot = window.WaitAsync(writing.Token);
                if (!slot.IsCompletedSuccessfully)
                {
                    await slot.ConfigureAwait(false);
                }

                var sequence = ++_sequence;
                var payload = _template.Patch(_run.Ids.Reserve(_batch), RunContext.NowUnixNano(), sequence, _spread);
                Volatile.Write(ref _sendTimes[(int)(sequence % (ulong)_window)], Stopwatch.GetTimestamp());
                Interlocked.Increment(ref state.Sent);
                _run.Recorder.BatchSent(_batch);
                var write = call.RequestStream.WriteAsync(payload);
                if (!write.IsCompletedSuccessfully)
                {
                    await write.ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (writing.IsCancellationRequested)
        {
            // The run stopped, or the reader saw the call end.
        }
        catch (Exception)
        {
            // The call failed under the writer (RpcException with its status, or InvalidOperationException
            // when the server has closed the stream); the reader reports the call's status, once.
            writerFailed = true;
        }

        if (!writerFailed && !reader.IsCompleted)
        {
            try
            {
                await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // As above: the reader reports it.
            }
        }

        // Drain: outstanding acks may take up to the drain timeout, after which Abandon cancels the call.
        await reader.ConfigureAwait(false);
        return state.Failed || writerFailed;
    }

    private async Task ReadAcksAsync(AsyncDuplexStreamingCall<ReadOnlyMemory<byte>, BatchAck> call, SemaphoreSlim window, StreamState state, CancellationTokenSource writing)
    {
        try
        {
            var responses = call.ResponseStream;
            while (await responses.MoveNext(CancellationToken.None).ConfigureAwait(false))
            {
                var now = Stopwatch.GetTimestamp();
                var ack = responses.Current;
                var expected = state.FirstSequence + (ulong)state.Acked;
                if (ack.Sequence != expected)
                {
                    _run.Recorder.Error("ack sequence out of order", 0);
                }

                var sent = Volatile.Read(ref _sendTimes[(int)(expected % (ulong)_window)]);
                state.Acked++;
                _run.Recorder.Ack(RunContext.ToNanos(now - sent), _batch, ack.Accepted, ack.Rejected, ack.Duplicates);
                if (ack.Rejections.Count > 0)
                {
                    _run.Recorder.Rejections(ack.Rejections.Select(r => r.Code));
                }

                window.Release();
            }

            var missing = Volatile.Read(ref state.Sent) - state.Acked;
            if (missing > 0)
            {
                state.Failed = true;
                _run.Recorder.Error("stream ended OK without acks", missing);
            }
        }
        catch (Exception e)
        {
            state.Failed = true;
            _run.Fail(e, Math.Max(0, Volatile.Read(ref state.Sent) - state.Acked));
        }
        finally
        {
            await writing.CancelAsync().ConfigureAwait(false);
        }
    }

    private sealed class StreamState(ulong firstSequence)
    {
        public readonly ulong FirstSequence = firstSequence;
        public long Sent;
        public long Acked;
        public volatile bool Failed;
    }
}
