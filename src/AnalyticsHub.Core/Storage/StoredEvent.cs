using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Normalization;

namespace AnalyticsHub.Core.Storage;

/// <summary>
/// One accepted event as every store keeps it: the common fields as typed columns, the payload's
/// seed-defined measure as <see cref="Name"/>/<see cref="Value"/>/<see cref="Unit"/> (+ tokens),
/// and everything else of the payload as a JSON object. Text columns are UTF-8 slices of the
/// owning <see cref="StoredEventBatch"/>'s arena; the struct holds no references.
/// </summary>
public struct StoredEvent
{
    /// <summary>WAL address of the record the event came from; with <see cref="WalIndex"/> the event's position in this node's log.</summary>
    public long WalAddress;

    /// <summary>Index of the event among the accepted events of its WAL record.</summary>
    public int WalIndex;

    /// <summary>event_id parsed as a UUID (big-endian halves, RFC 4122 byte order).</summary>
    public ulong IdHigh;
    public ulong IdLow;

    /// <summary>event_id as sent (canonical 36-character text).</summary>
    public ArenaSlice EventId;

    /// <summary>tenant_id, <c>default</c> when the event named none.</summary>
    public ArenaSlice TenantId;

    /// <summary>Event time after clock-skew correction, UTC, nanoseconds since the Unix epoch.</summary>
    public long TimeUnixNano;

    /// <summary>When the hub received the batch (its WAL record's receive time), nanoseconds since the Unix epoch.</summary>
    public long ReceivedUnixNano;

    public SourceModule SourceModule;
    public EventType EventType;

    /// <summary>Severity after mapping other vocabularies (<c>Unspecified</c> when none).</summary>
    public Severity Severity;

    public PayloadKind PayloadKind;

    /// <summary>What <see cref="Value"/> measures after normalization (<c>None</c>: kept as given).</summary>
    public UnitDimension ValueDimension;

    public ArenaSlice SchemaVersion;
    public ArenaSlice CorrelationId;
    public ArenaSlice ParentEventId;
    public ArenaSlice Environment;
    public ArenaSlice AssetId;

    /// <summary>The event's tags as a JSON object (<c>{}</c> when none).</summary>
    public ArenaSlice TagsJson;

    /// <summary>telemetry.metric_name · cost.cost_type · security.threat_type · governance.governance_type · metadata.change_type · policy.policy_id · custom.type_name.</summary>
    public ArenaSlice Name;

    /// <summary>telemetry.metric_value · cost.amount · policy.score, in the canonical unit of <see cref="ValueDimension"/> (0 when the payload has no value).</summary>
    public double Value;

    /// <summary>The canonical unit (<c>ms</c>, <c>bytes</c>, <c>per_second</c>, <c>USD</c>) or the unit as given when it is not a known one.</summary>
    public ArenaSlice Unit;

    public ulong InputTokens;
    public ulong OutputTokens;

    /// <summary>The payload's other fields and its map (dimensions, attribution, details …) as a JSON object, with the seed's field renames applied.</summary>
    public ArenaSlice PayloadJson;
}
