using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Normalization;

namespace AnalyticsHub.Core.Query;

/// <summary>One stored event as a search returns it (the store's columns; tags and payload as JSON objects).</summary>
public sealed record SearchedEvent
{
    public required string EventId { get; init; }
    public required string TenantId { get; init; }
    public long TimeUnixNano { get; init; }
    public long ReceivedUnixNano { get; init; }
    public SourceModule SourceModule { get; init; }
    public EventType EventType { get; init; }
    public Severity Severity { get; init; }
    public PayloadKind PayloadKind { get; init; }
    public UnitDimension ValueDimension { get; init; }
    public string SchemaVersion { get; init; } = "";
    public string CorrelationId { get; init; } = "";
    public string ParentEventId { get; init; } = "";
    public string Environment { get; init; } = "";
    public string AssetId { get; init; } = "";
    public string TagsJson { get; init; } = "{}";
    public string Name { get; init; } = "";
    public double Value { get; init; }
    public string Unit { get; init; } = "";
    public ulong InputTokens { get; init; }
    public ulong OutputTokens { get; init; }
    public string PayloadJson { get; init; } = "{}";
}
