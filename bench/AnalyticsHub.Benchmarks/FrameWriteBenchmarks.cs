using AnalyticsHub.Benchmarks.Mocks;
using AnalyticsHub.Contracts.V1;
using AnalyticsHub.Protocol.Compression;
using AnalyticsHub.Protocol.Grpc;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;

namespace AnalyticsHub.Benchmarks;

/// <summary>
/// <see cref="GrpcMessageWriter"/> framing one message per operation into a
/// <see cref="NullPipeWriter"/> (4 KiB spans, contents dropped), so Op/s is messages per second.
/// The Gzip cases compress with the writer's default level (Fastest) and are a separate
/// category: their cost is zlib's, not the framing's.
/// </summary>
[BenchmarkCategory("Write")]
public class FrameWriteBenchmarks
{
    private NullPipeWriter _output = null!;
    private GrpcMessageWriter _writer = null!;
    private GrpcMessageWriter _gzipWriter = null!;
    private EventBatch _batch = null!;
    private byte[] _payload = null!;

    /// <summary>Payload bytes per message: the raw payload, and the encoded size of the EventBatch.</summary>
    [Params(1024, 64 * 1024)]
    public int MessageSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _batch = Payloads.CreateBatch(MessageSize);
        _payload = _batch.ToByteArray();
        _output = new NullPipeWriter();
        _writer = new GrpcMessageWriter(_output);
        _gzipWriter = new GrpcMessageWriter(_output) { Compression = GzipCompressionProvider.Instance };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _writer.Dispose();
        _gzipWriter.Dispose();
    }

    /// <summary>An already-serialized payload: prefix + copy.</summary>
    [Benchmark]
    public long Write_RawPayload()
    {
        _writer.WritePayload(_payload);
        return _output.BytesWritten;
    }

    /// <summary>A Google.Protobuf EventBatch: CalculateSize, prefix, then serialization straight into the output.</summary>
    [Benchmark]
    public long Write_ProtobufEventBatch()
    {
        _writer.Write(_batch, ProtobufCodec<EventBatch>.Instance);
        return _output.BytesWritten;
    }

    /// <summary>Raw payload, gzip (Fastest) into a pooled scratch buffer, then prefix + copy.</summary>
    [Benchmark]
    [BenchmarkCategory("Gzip")]
    public long Write_RawPayload_Gzip()
    {
        _gzipWriter.WritePayload(_payload);
        return _output.BytesWritten;
    }

    /// <summary>EventBatch serialized into scratch, gzip (Fastest), then prefix + copy.</summary>
    [Benchmark]
    [BenchmarkCategory("Gzip")]
    public long Write_ProtobufEventBatch_Gzip()
    {
        _gzipWriter.Write(_batch, ProtobufCodec<EventBatch>.Instance);
        return _output.BytesWritten;
    }
}
