using AnalyticsHub.Client;
using AnalyticsHub.Contracts.V1;
using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Server.Tests.Ingestion;

/// <summary>Valid events and batches for the ingestion tests, and the EventIngestion methods for our client.</summary>
internal static class TestBatches
{
    public static readonly Method<EventBatch, BatchAck> StreamEvents =
        Method.Protobuf<EventBatch, BatchAck>(MethodType.DuplexStreaming, "analyticshub.v1.EventIngestion", "StreamEvents");

    public static readonly Method<EventBatch, BatchAck> IngestBatch =
        Method.Protobuf<EventBatch, BatchAck>(MethodType.Unary, "analyticshub.v1.EventIngestion", "IngestBatch");

    public static GrpcChannel Channel(HubProcess hub) => GrpcChannel.ForAddress($"http://127.0.0.1:{hub.GrpcPort}");

    /// <summary>A telemetry event that passes validation (timestamp now, known module, semver schema).</summary>
    public static AnalyticsEvent Telemetry(string eventId, int i = 0) => new()
    {
        EventId = eventId,
        TimeUnixNano = (ulong)((DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100),
        SourceModule = SourceModule.LlmObservatory,
        EventType = EventType.Telemetry,
        SchemaVersion = "1.0.0",
        Severity = Severity.Info,
        Environment = "test",
        Tags = { ["region"] = "eu-west-1" },
        Telemetry = new TelemetryPayload { MetricName = "latency_ms", MetricValue = 10 + (i % 1000), Unit = "ms" },
    };

    /// <summary>A batch of <paramref name="events"/> new events with fresh UUIDs.</summary>
    public static EventBatch Batch(string producerId, ulong sequence, int events)
    {
        var batch = new EventBatch { ProducerId = producerId, Sequence = sequence };
        for (int i = 0; i < events; i++)
        {
            batch.Events.Add(Telemetry(Guid.NewGuid().ToString(), i));
        }

        return batch;
    }
}
