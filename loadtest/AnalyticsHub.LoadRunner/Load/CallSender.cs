using System.Diagnostics;

namespace AnalyticsHub.LoadRunner.Load;

/// <summary>
/// One producer sending a batch per call (gRPC unary, REST) with <c>--inflight</c> calls at once:
/// W loops, each with its own batch buffer (a call may read its request body until it ends) and its
/// own pacer, sharing the producer id and one increasing sequence.
/// </summary>
internal abstract class CallSender : ISender
{
    private static readonly TimeSpan BackoffDelay = TimeSpan.FromMilliseconds(50);

    private long _sequence;

    protected CallSender(RunContext run, int connection, int stream, int senderIndex)
    {
        Run = run;
        ProducerId = run.ProducerId(connection, stream);
        SenderIndex = senderIndex;
    }

    public string ProducerId { get; }

    protected RunContext Run { get; }

    protected int SenderIndex { get; }

    public Task RunAsync() =>
        Task.WhenAll(Enumerable.Range(0, Run.Scenario.Inflight).Select(slot => Task.Run(() => LoopAsync(slot))));

    /// <summary>A batch buffer for one loop: patched before each call, read by that call only.</summary>
    protected abstract IBatchBuffer CreateBuffer(int slot);

    /// <summary>Sends one batch; returns the ack's counts, or throws (RpcException, HttpRequestException with a status).</summary>
    protected abstract Task<CallAck> SendAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken);

    private async Task LoopAsync(int slot)
    {
        var stop = Run.StopSending.Token;
        var buffer = CreateBuffer(slot);
        var s = Run.Scenario;
        var loops = s.Senders * s.Inflight;
        var pacer = new Pacer(Run.Offered, (double)s.Batch * loops, (SenderIndex * s.Inflight + slot) / (double)loops);
        var batch = Run.Scenario.Batch;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await pacer.WaitAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var sequence = (ulong)Interlocked.Increment(ref _sequence);
            var body = buffer.Patch(Run.Ids.Reserve(batch), sequence);
            var start = Stopwatch.GetTimestamp();
            Run.Recorder.BatchSent(batch);
            try
            {
                var ack = await SendAsync(body, Run.Abandon.Token).ConfigureAwait(false);
                Run.Recorder.Ack(RunContext.ToNanos(Stopwatch.GetTimestamp() - start), batch, ack.Accepted, ack.Rejected, ack.Duplicates);
                if (ack.RejectionCodes is { Count: > 0 } codes)
                {
                    Run.Recorder.Rejections(codes);
                }
            }
            catch (Exception e)
            {
                Run.Fail(e, 1);
                if (Run.Abandon.IsCancellationRequested)
                {
                    return;
                }

                if (ErrorKinds.IsBackoff(e))
                {
                    try
                    {
                        await Task.Delay(BackoffDelay, stop).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }
        }
    }
}

/// <summary>What an ack said about a batch.</summary>
internal readonly record struct CallAck(long Accepted, long Rejected, long Duplicates, IReadOnlyList<string>? RejectionCodes);

/// <summary>A sender loop's own batch buffer.</summary>
internal interface IBatchBuffer
{
    ReadOnlyMemory<byte> Patch(ulong firstCounter, ulong sequence);
}
