using System.Buffers;
using AnalyticsHub.Benchmarks.Mocks;
using AnalyticsHub.Protocol.Events;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using V1 = AnalyticsHub.Contracts.V1;

namespace AnalyticsHub.Benchmarks;

/// <summary>
/// Decoding a 1,000-event <c>EventBatch</c> of typical ~150-byte telemetry events: our zero-copy
/// decoder against Google.Protobuf's <c>ParseFrom</c> on the same bytes. One operation = one
/// event, so Op/s is events per second and Allocated is bytes per event.
/// </summary>
[BenchmarkCategory("Decode")]
public class EventDecodeBenchmarks
{
    public const int EventsPerBatch = 1000;

    private byte[] _bytes = null!;
    private ReadOnlySequence<byte> _segmented;
    private Core.Events.EventBatch _batch = null!;

    /// <summary>Average encoded size of one event (reported in the log for the record).</summary>
    public int EventSize { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        var batch = new V1.EventBatch { ProducerId = "observatory-7", Sequence = 1 };
        for (var i = 0; i < EventsPerBatch; i++)
        {
            batch.Events.Add(TypicalTelemetryEvent(i));
        }

        _bytes = batch.ToByteArray();
        EventSize = _bytes.Length / EventsPerBatch;
        Console.WriteLine($"// EventBatch: {_bytes.Length} bytes, {EventSize} bytes/event");

        // As Kestrel delivers a request body: 4 KiB pool blocks.
        _segmented = SegmentedBuffer.Create(_bytes, 4096);
        _batch = new Core.Events.EventBatch();
    }

    [GlobalCleanup]
    public void Cleanup() => _batch.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = EventsPerBatch)]
    public V1.EventBatch GoogleProtobuf_ParseFrom() => V1.EventBatch.Parser.ParseFrom(_bytes);

    [Benchmark(OperationsPerInvoke = EventsPerBatch)]
    public int ZeroCopy_Contiguous()
    {
        _batch.Load(_bytes);
        EventBatchDecoder.TryDecode(_batch, out _);
        return _batch.Count;
    }

    [Benchmark(OperationsPerInvoke = EventsPerBatch)]
    public int ZeroCopy_From4KiBSegments_IncludesCopy()
    {
        _batch.Load(_segmented);
        EventBatchDecoder.TryDecode(_batch, out _);
        return _batch.Count;
    }

    /// <summary>A telemetry event as Observatory sends it: UUID, time, module, type, schema, env, two tags, one dimension.</summary>
    internal static V1.AnalyticsEvent TypicalTelemetryEvent(int i) => new()
    {
        EventId = Guid.CreateVersion7().ToString(),
        TimeUnixNano = 1_795_000_000_000_000_000UL + (ulong)i * 1_000_000UL,
        SourceModule = V1.SourceModule.LlmObservatory,
        EventType = V1.EventType.Telemetry,
        SchemaVersion = "1.2.0",
        Severity = V1.Severity.Info,
        Environment = "production",
        Tags = { ["region"] = "eu-west-1", ["model"] = "gpt-4o" },
        Telemetry = new V1.TelemetryPayload
        {
            MetricName = "latency_ms",
            MetricValue = 100 + (i % 400),
            Unit = "ms",
            Dimensions = { ["service"] = "chat" },
        },
    };
}
