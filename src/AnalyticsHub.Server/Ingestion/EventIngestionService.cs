using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using AnalyticsHub.Contracts.V1;
using AnalyticsHub.Core.Ingestion;
using AnalyticsHub.Protocol.Grpc;
using AnalyticsHub.Protocol.Server;
using AnalyticsHub.Server.Tracing;
using AnalyticsHub.Storage.Wal;

namespace AnalyticsHub.Server.Ingestion;

/// <summary>
/// <c>analyticshub.v1.EventIngestion</c> on raw frames: each request message is copied once
/// into the call's pooled batch and decoded in place. A stream pipelines its batches — the
/// reader admits and appends while an ack writer waits for each group commit and answers in
/// order — with at most <c>MaxInFlightBatchesPerStream</c> unacknowledged; beyond that, or while
/// the WAL backlog is full, the reader stops reading and HTTP/2 flow control holds the client.
/// </summary>
public sealed class EventIngestionService(IngestPipeline pipeline, IngestCounters counters, ILogger<EventIngestionService> logger, int maxInFlightPerStream)
{
    public void Register(GrpcServiceRegistry registry) =>
        registry.AddService(IngestReflection.Descriptor.Services[0])
            .Raw("StreamEvents", MethodType.DuplexStreaming, StreamEventsAsync)
            .Raw("IngestBatch", MethodType.Unary, IngestBatchAsync);

    private async Task IngestBatchAsync(ServerCallContext context)
    {
        using var session = new IngestSession();
        if (!await context.RequestReader.MoveNextAsync(context.CancellationToken).ConfigureAwait(false))
        {
            throw new RpcException(StatusCode.Internal, "The request did not include a message.");
        }

        long start = Stopwatch.GetTimestamp();
        using var span = IngestSpan.Start(IngestSpan.GrpcUnary, RequestTraceContext.ParentOf(context.HttpContext.Request.Headers));
        try
        {
            ThrowIfMalformed(session.Load(context.RequestReader.Current, pipeline.MaxEventsPerBatch));
            if (await context.RequestReader.MoveNextAsync(context.CancellationToken).ConfigureAwait(false))
            {
                throw new RpcException(StatusCode.Internal, "The request included more than one message for a method that takes one.");
            }

            var outcome = pipeline.Admit(session);
            IngestSpan.Admitted(span, session.Batch.Count, outcome);
            var ack = await AwaitAckAsync(outcome).ConfigureAwait(false);
            await context.WriteMessageAsync(ack, RawMessageCodec.Instance, flush: true).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            SpanFailure.Record(span, e);
            throw;
        }

        counters.AckSent(start);
    }

    private async Task StreamEventsAsync(ServerCallContext context)
    {
        using var session = new IngestSession();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var pending = Channel.CreateBounded<PendingAck>(new BoundedChannelOptions(maxInFlightPerStream)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var acks = WriteAcksAsync(pending.Reader, context, stop);

        ExceptionDispatchInfo? failure = null;
        var parent = RequestTraceContext.ParentOf(context.HttpContext.Request.Headers);
        Activity? span = null; // the batch being read; the ack writer ends it once handed over
        counters.StreamOpened(IngestTransport.Grpc);
        try
        {
            while (await context.RequestReader.MoveNextAsync(stop.Token).ConfigureAwait(false))
            {
                long start = Stopwatch.GetTimestamp();
                span = IngestSpan.Start(IngestSpan.GrpcStream, parent);
                ThrowIfMalformed(session.Load(context.RequestReader.Current, pipeline.MaxEventsPerBatch));
                var outcome = await pipeline.AdmitWhenRoomAsync(session, stop.Token).ConfigureAwait(false);
                ThrowIfRefused(outcome);
                IngestSpan.Admitted(span, session.Batch.Count, outcome);
                if (!pending.Writer.TryWrite(new PendingAck(outcome, start, span)))
                {
                    await pending.Writer.WriteAsync(new PendingAck(outcome, start, span), stop.Token).ConfigureAwait(false);
                }
                span = null;
            }
        }
        catch (Exception e)
        {
            SpanFailure.Record(span, e);
            span?.Dispose();
            failure = ExceptionDispatchInfo.Capture(e);
        }

        // Acknowledge everything appended before the stream ended or failed, then report.
        pending.Writer.TryComplete();
        try
        {
            await acks.ConfigureAwait(false);
        }
        finally
        {
            counters.StreamClosed(IngestTransport.Grpc);
        }

        if (failure is not null)
        {
            if (failure.SourceException is not OperationCanceledException)
            {
                IngestLog.StreamFailed(logger, context.Peer, failure.SourceException.Message);
            }
            failure.Throw();
        }
    }

    private async Task WriteAcksAsync(ChannelReader<PendingAck> pending, ServerCallContext context, CancellationTokenSource stop)
    {
        try
        {
            while (await pending.WaitToReadAsync().ConfigureAwait(false))
            {
                while (pending.TryRead(out var next))
                {
                    try
                    {
                        var ack = await AwaitAckAsync(next.Outcome).ConfigureAwait(false);
                        // Acks of one group commit go out in one flush; the last ready one flushes, so
                        // a client that never pauses still gets each ack within a commit interval.
                        bool flush = !(pending.TryPeek(out var following) && IsReady(following.Outcome));
                        await context.WriteMessageAsync(ack, RawMessageCodec.Instance, flush).ConfigureAwait(false);
                    }
                    catch (Exception e)
                    {
                        SpanFailure.Record(next.Span, e);
                        throw;
                    }
                    finally
                    {
                        next.Span?.Dispose();
                    }

                    counters.AckSent(next.Start);
                }
            }
        }
        catch (Exception)
        {
            // The reader must not wait on a writer that is gone; what it appended is settled in the background.
            await stop.CancelAsync().ConfigureAwait(false);
            while (pending.TryRead(out var orphan))
            {
                pipeline.Abandon(orphan.Outcome);
                SpanFailure.Record(orphan.Span, "abandoned", "The stream ended before this batch was acknowledged.");
                orphan.Span?.Dispose();
            }
            throw;
        }
    }

    private bool IsReady(in IngestOutcome outcome) => outcome.Status switch
    {
        IngestStatus.Appended => pipeline.Wal.CommittedUntilAddress > outcome.Address,
        IngestStatus.Retry => outcome.RetryAck!.IsCompleted,
        _ => true,
    };

    private async ValueTask<ReadOnlyMemory<byte>> AwaitAckAsync(IngestOutcome outcome)
    {
        ThrowIfRefused(outcome);
        try
        {
            if (outcome.Status == IngestStatus.Retry)
            {
                return await outcome.RetryAck!.ConfigureAwait(false);
            }

            await pipeline.CompleteAsync(outcome).ConfigureAwait(false);
            return outcome.Ack;
        }
        catch (Exception e) when (e is WalUnavailableException or ObjectDisposedException)
        {
            throw new RpcException(StatusCode.Unavailable, "The batch could not be made durable: " + e.Message);
        }
        catch (SequenceAbandonedException)
        {
            throw new RpcException(StatusCode.Unavailable, "The first attempt of this batch (same producer_id and sequence) failed; retry it.");
        }
    }

    private static void ThrowIfMalformed(string? error)
    {
        if (error is not null)
        {
            throw new RpcException(StatusCode.InvalidArgument, error);
        }
    }

    private static void ThrowIfRefused(in IngestOutcome outcome)
    {
        switch (outcome.Status)
        {
            case IngestStatus.Backpressure:
                throw new RpcException(StatusCode.ResourceExhausted, outcome.Error!);
            case IngestStatus.Unavailable:
                throw new RpcException(StatusCode.Unavailable, outcome.Error!);
            case IngestStatus.TooLarge:
                throw new RpcException(StatusCode.InvalidArgument, outcome.Error!);
        }
    }

    private readonly record struct PendingAck(IngestOutcome Outcome, long Start, Activity? Span);
}
