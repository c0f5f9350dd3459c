using AnalyticsHub.Contracts.V1;
using Google.Protobuf;

namespace AnalyticsHub.Protocol.Tests.Events;

/// <summary>Events of every payload kind, encoded by Google.Protobuf (the reference encoder).</summary>
internal static class SampleEvents
{
    public static AnalyticsEvent Telemetry(int i = 0) => new()
    {
        EventId = $"0f8fad5b-d9cb-469f-a165-70867728{i:D4}",
        TimeUnixNano = 1_795_000_000_000_000_000UL + (ulong)i,
        SourceModule = SourceModule.LlmObservatory,
        EventType = EventType.Telemetry,
        SchemaVersion = "1.2.0",
        Severity = Severity.Info,
        Environment = "production",
        TenantId = "acme",
        Tags = { ["region"] = "eu-west-1", ["model"] = "gpt-4o" },
        Telemetry = new TelemetryPayload
        {
            MetricName = "latency_ms",
            MetricValue = 123.5 + i,
            Unit = "ms",
            Dimensions = { ["service"] = "chat" },
        },
    };

    public static IEnumerable<AnalyticsEvent> OneOfEachPayload()
    {
        yield return Telemetry();
        yield return new AnalyticsEvent
        {
            EventId = "11111111-2222-4333-8444-555555555555",
            TimeUnixNano = 1,
            SourceModule = SourceModule.LlmSentinel,
            EventType = EventType.Security,
            Severity = Severity.Critical,
            CorrelationId = "corr-1",
            ParentEventId = "parent-1",
            AssetId = "model-7",
            Security = new SecurityPayload
            {
                ThreatType = "prompt_injection",
                Description = "ignore previous instructions",
                ThreatLevel = "high",
                SourceIp = "10.0.0.1",
                UserId = "u-9",
                ActionTaken = "blocked",
                AffectedResources = { "a", "b" },
                Details = { ["rule"] = "r-12", ["score"] = "0.97" },
            },
        };
        yield return new AnalyticsEvent
        {
            EventId = "22222222-2222-4333-8444-555555555555",
            SourceModule = SourceModule.LlmCostops,
            EventType = EventType.Cost,
            Cost = new CostPayload
            {
                CostType = "token_cost",
                Amount = 0.0042,
                Currency = "USD",
                Attribution = { ["team"] = "search" },
                InputTokens = 1200,
                OutputTokens = ulong.MaxValue,
                ModelId = "gpt-4o",
            },
        };
        yield return new AnalyticsEvent
        {
            EventId = "33333333-2222-4333-8444-555555555555",
            EventType = EventType.Governance,
            Governance = new GovernancePayload
            {
                GovernanceType = "audit_trail",
                PolicyId = "p-1",
                Actor = "alice",
                Action = "export",
                Resource = "dataset-3",
                Outcome = "allowed",
                Lineage = { "d1", "d2" },
                Details = { ["ticket"] = "T-1" },
            },
        };
        yield return new AnalyticsEvent
        {
            EventId = "44444444-2222-4333-8444-555555555555",
            EventType = EventType.Metadata,
            Metadata = new MetadataPayload
            {
                ChangeType = "created",
                AssetType = "model",
                Name = "summarizer",
                Version = "3.1.0",
                Owner = "ml-platform",
                Attributes = { ["framework"] = "pytorch" },
            },
        };
        yield return new AnalyticsEvent
        {
            EventId = "55555555-2222-4333-8444-555555555555",
            EventType = EventType.Policy,
            Policy = new PolicyPayload
            {
                PolicyId = "pii-check",
                PolicyVersion = "7",
                Decision = "deny",
                Passed = true,
                Score = -0.25,
                ViolationId = "v-1",
                RuleId = "r-1",
                EvaluationMs = 1.5,
                Details = { ["field"] = "email" },
            },
        };
        yield return new AnalyticsEvent
        {
            EventId = "66666666-2222-4333-8444-555555555555",
            Custom = new CustomPayload
            {
                TypeName = "acme.Thing",
                Json = "{\"a\":1}",
                Data = ByteString.CopyFrom(1, 2, 3),
                Fields = { ["k"] = "v" },
            },
        };
        yield return new AnalyticsEvent { EventId = "no-payload" };
        yield return new AnalyticsEvent(); // empty event: zero bytes on the wire
    }

    public static EventBatch Batch(IEnumerable<AnalyticsEvent> events, string producer = "producer-1", ulong sequence = 42)
    {
        var batch = new EventBatch { ProducerId = producer, Sequence = sequence };
        batch.Events.AddRange(events);
        return batch;
    }
}
