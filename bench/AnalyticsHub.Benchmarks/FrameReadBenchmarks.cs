using System.Buffers;
using System.IO.Pipelines;
using AnalyticsHub.Benchmarks.Mocks;
using AnalyticsHub.Protocol.Compression;
using AnalyticsHub.Protocol.Grpc;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;

namespace AnalyticsHub.Benchmarks;

/// <summary>
/// <see cref="GrpcMessageReader"/> reading length-prefixed messages that are already buffered.
/// One operation = one message (each invocation reads <see cref="FramesPerInvoke"/> of them), so
/// BenchmarkDotNet's Op/s is messages per second and Allocated is bytes per message.
/// The reader and its PipeReader live for the whole run, as they would for one long stream:
/// what is measured is the steady state, not the per-call setup.
/// </summary>
[BenchmarkCategory("Read")]
public class FrameReadBenchmarks
{
    /// <summary>Messages per invocation, and the number of frames in each pre-built buffer.</summary>
    public const int FramesPerInvoke = 256;

    /// <summary>Kestrel's memory pool block size: how a socket's bytes arrive in the request pipe.</summary>
    private const int PoolBlockSize = 4096;

    private GrpcMessageReader _contiguous = null!;
    private GrpcMessageReader _segmented = null!;
    private GrpcMessageReader _gzip = null!;
    private GrpcMessageReader _piped = null!;
    private Pipe _pipe = null!;
    private byte[] _frame = null!;

    /// <summary>Payload bytes per message (a serialized EventBatch of exactly this size).</summary>
    [Params(1024, 64 * 1024)]
    public int MessageSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var payload = Payloads.CreateBatch(MessageSize).ToByteArray();
        _frame = Payloads.Frame(payload, gzip: false);
        var frames = Payloads.Repeat(_frame, FramesPerInvoke);
        var gzipFrames = Payloads.Repeat(Payloads.Frame(payload, gzip: true), FramesPerInvoke);

        _contiguous = new GrpcMessageReader(new LoopingPipeReader(SegmentedBuffer.Create(frames, 0)), int.MaxValue, null);
        _segmented = new GrpcMessageReader(new LoopingPipeReader(SegmentedBuffer.Create(frames, PoolBlockSize)), int.MaxValue, null);
        _gzip = new GrpcMessageReader(
            new LoopingPipeReader(SegmentedBuffer.Create(gzipFrames, PoolBlockSize)), int.MaxValue, GzipCompressionProvider.Instance);

        // A real Pipe with inline schedulers and no back-pressure: the benchmark thread writes a
        // frame, flushes, and reads it back, all synchronously.
        _pipe = new Pipe(new PipeOptions(
            readerScheduler: PipeScheduler.Inline,
            writerScheduler: PipeScheduler.Inline,
            pauseWriterThreshold: 0,
            minimumSegmentSize: PoolBlockSize,
            useSynchronizationContext: false));
        _piped = new GrpcMessageReader(_pipe.Reader, int.MaxValue, null);

        // Check the data once: every reader must see MessageSize-byte payloads.
        foreach (var reader in new[] { _contiguous, _segmented, _gzip })
        {
            if (Read(reader, 1) != MessageSize)
            {
                throw new InvalidOperationException("Setup produced the wrong payload length.");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _contiguous.Dispose();
        _segmented.Dispose();
        _gzip.Dispose();
        _piped.Dispose();
        _pipe.Writer.Complete();
        _pipe.Reader.Complete();
    }

    /// <summary>All frames in one contiguous buffer: the framing code's best case.</summary>
    [Benchmark(OperationsPerInvoke = FramesPerInvoke)]
    public long Read_Contiguous() => Read(_contiguous, FramesPerInvoke);

    /// <summary>Frames spread over 4 KiB blocks, headers and payloads crossing block boundaries (as from Kestrel).</summary>
    [Benchmark(OperationsPerInvoke = FramesPerInvoke)]
    public long Read_4KiBSegments() => Read(_segmented, FramesPerInvoke);

    /// <summary>
    /// Through a real System.IO.Pipelines.Pipe: includes copying each frame into the pipe
    /// (PipeWriter.Write + FlushAsync), so it is an upper bound on the reader's cost, not a measure of it.
    /// </summary>
    [Benchmark(OperationsPerInvoke = FramesPerInvoke)]
    public long Read_ThroughPipe_IncludesCopyIn()
    {
        long total = 0;
        var writer = _pipe.Writer;
        for (var i = 0; i < FramesPerInvoke; i++)
        {
            writer.Write(_frame);
            var flush = writer.FlushAsync();
            if (!flush.IsCompletedSuccessfully)
            {
                flush.AsTask().GetAwaiter().GetResult();
            }

            total += Read(_piped, 1);
        }

        return total;
    }

    /// <summary>
    /// The reader's asynchronous path, as with a socket: MoveNextAsync is called on an empty pipe
    /// (so it suspends in <c>MoveNextSlowAsync</c>), then the frame arrives in 4 KiB writes, each
    /// flushed; every flush resumes the reader inline, which finds a partial frame and waits again,
    /// until the last one completes the message. Includes the copy-in, like the case above.
    /// </summary>
    [Benchmark(OperationsPerInvoke = FramesPerInvoke)]
    public long Read_ThroughPipe_ReaderWaits_4KiBFlushes()
    {
        long total = 0;
        var writer = _pipe.Writer;
        for (var i = 0; i < FramesPerInvoke; i++)
        {
            var next = _piped.MoveNextAsync();
            if (next.IsCompleted)
            {
                throw new InvalidOperationException("Expected the reader to wait on an empty pipe.");
            }

            ReadOnlySpan<byte> frame = _frame;
            while (!frame.IsEmpty)
            {
                var chunk = Math.Min(frame.Length, PoolBlockSize);
                writer.Write(frame[..chunk]);
                frame = frame[chunk..];
                var flush = writer.FlushAsync();
                if (!flush.IsCompletedSuccessfully)
                {
                    flush.AsTask().GetAwaiter().GetResult();
                }
            }

            if (!next.IsCompleted || !next.Result)
            {
                throw new InvalidOperationException("The message did not complete after its last byte was flushed.");
            }

            total += _piped.Current.Length;
        }

        return total;
    }

    /// <summary>Gzip-compressed frames (flag 1), 4 KiB blocks: includes inflating every payload into a pooled buffer.</summary>
    [Benchmark(OperationsPerInvoke = FramesPerInvoke)]
    [BenchmarkCategory("Gzip")]
    public long Read_Gzip_4KiBSegments() => Read(_gzip, FramesPerInvoke);

    private static long Read(GrpcMessageReader reader, int count)
    {
        long total = 0;
        for (var i = 0; i < count; i++)
        {
            var next = reader.MoveNextAsync();
            var hasMessage = next.IsCompletedSuccessfully ? next.Result : next.AsTask().GetAwaiter().GetResult();
            if (!hasMessage)
            {
                throw new InvalidOperationException("The stream ended.");
            }

            total += reader.Current.Length;
        }

        return total;
    }
}
