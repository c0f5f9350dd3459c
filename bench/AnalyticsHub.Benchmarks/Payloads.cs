using System.Buffers;
using System.IO.Compression;
using AnalyticsHub.Contracts.V1;
using AnalyticsHub.Protocol.Grpc;
using Google.Protobuf;

namespace AnalyticsHub.Benchmarks;

/// <summary>Deterministic test data: event batches of an exact encoded size, and frames built from them.</summary>
public static class Payloads
{
    private static readonly string[] Metrics = ["latency", "tokens_in", "tokens_out", "error_rate", "ttft"];
    private static readonly string[] Units = ["ms", "tokens", "tokens", "ratio", "ms"];
    private static readonly string[] Models = ["gpt-4o", "claude-3-5-sonnet", "llama-3-70b", "mistral-large"];

    /// <summary>
    /// A batch of telemetry events whose encoded size is exactly <paramref name="size"/> bytes:
    /// whole events (~190 bytes each: UUID, timestamp, enums, tenant, two tags, a telemetry
    /// payload with one dimension), then <c>producer_id</c> padded to make up the difference.
    /// </summary>
    public static EventBatch CreateBatch(int size, int seed = 42)
    {
        const int slack = 8; // room for sequence (tag + 2-byte varint) and a producer_id field
        var random = new Random(seed);
        var batch = new EventBatch { Sequence = 12_345 };
        var startNanos = 1_767_225_600_000_000_000UL; // 2026-01-01T00:00:00Z
        var total = batch.CalculateSize();
        for (var i = 0; ; i++)
        {
            var evt = CreateEvent(random, startNanos + ((ulong)i * 1_000_000UL), i);
            var eventSize = evt.CalculateSize();
            var fieldSize = 1 + CodedOutputStream.ComputeLengthSize(eventSize) + eventSize;
            if (total + fieldSize + slack > size)
            {
                break;
            }

            batch.Events.Add(evt);
            total += fieldSize;
        }

        // producer_id: 1 tag byte + varint length + the string; find the string length that lands exactly on size.
        var remaining = size - batch.CalculateSize();
        for (var length = remaining - 2; length >= 0; length--)
        {
            if (1 + CodedOutputStream.ComputeLengthSize(length) + length == remaining)
            {
                batch.ProducerId = new string('p', length);
                break;
            }
        }

        if (batch.CalculateSize() != size)
        {
            throw new InvalidOperationException($"Could not build a batch of exactly {size} bytes (got {batch.CalculateSize()}).");
        }

        return batch;
    }

    /// <summary>A frame: 5-byte prefix + payload, gzip-compressed (flag 1) when asked.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> payload, bool gzip)
    {
        var body = gzip ? Gzip(payload) : payload.ToArray();
        var frame = new byte[GrpcProtocol.FrameHeaderLength + body.Length];
        new FrameHeader(gzip, (uint)body.Length).Write(frame);
        body.CopyTo(frame.AsSpan(GrpcProtocol.FrameHeaderLength));
        return frame;
    }

    /// <summary><paramref name="count"/> copies of a frame, back to back.</summary>
    public static byte[] Repeat(byte[] frame, int count)
    {
        var all = new byte[frame.Length * count];
        for (var i = 0; i < count; i++)
        {
            frame.CopyTo(all, i * frame.Length);
        }

        return all;
    }

    private static byte[] Gzip(ReadOnlySpan<byte> payload)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var stream = new GZipStream(new BufferWriterAdapter(output), CompressionLevel.Fastest))
        {
            stream.Write(payload);
        }

        return output.WrittenSpan.ToArray();
    }

    private static AnalyticsEvent CreateEvent(Random random, ulong timeUnixNano, int index)
    {
        Span<byte> uuid = stackalloc byte[16];
        random.NextBytes(uuid);
        var metric = index % Metrics.Length;
        var evt = new AnalyticsEvent
        {
            EventId = new Guid(uuid).ToString(),
            TimeUnixNano = timeUnixNano,
            SourceModule = SourceModule.LlmObservatory,
            EventType = EventType.Telemetry,
            SchemaVersion = "1.2.0",
            Severity = Severity.Info,
            Environment = "production",
            TenantId = $"tenant-{index % 8}",
            AssetId = $"model-{Models[index % Models.Length]}",
            Telemetry = new TelemetryPayload
            {
                MetricName = Metrics[metric],
                MetricValue = Math.Round(random.NextDouble() * 1000, 3),
                Unit = Units[metric],
            },
        };
        evt.Tags.Add("region", "eu-west-1");
        evt.Tags.Add("model", Models[index % Models.Length]);
        evt.Telemetry.Dimensions.Add("endpoint", "/v1/chat/completions");
        return evt;
    }

    /// <summary>Minimal write-only stream over an <see cref="IBufferWriter{T}"/> for building test data.</summary>
    private sealed class BufferWriterAdapter(IBufferWriter<byte> output) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => output.Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer) => output.Write(buffer);
    }
}
