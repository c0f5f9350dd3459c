namespace AnalyticsHub.Core.Events;

/// <summary>
/// One event of a batch, as decoded: fixed-size, no references, so a batch of rows is one array
/// the GC never scans. Strings are slices of the batch arena; maps are ranges of the batch's pairs.
/// Payloads are projected onto a few common columns (which field fills which is listed per
/// column); every payload field stays available in <see cref="Raw"/>.
/// </summary>
public struct EventRow
{
    /// <summary>The event's original protobuf bytes (for the write-ahead log and dead letters).</summary>
    public ArenaSlice Raw;

    public ArenaSlice EventId;
    public long TimeUnixNano;
    public SourceModule SourceModule;
    public EventType EventType;
    public Severity Severity;
    public PayloadKind PayloadKind;
    public ArenaSlice SchemaVersion;
    public ArenaSlice CorrelationId;
    public ArenaSlice ParentEventId;
    public ArenaSlice Environment;
    public ArenaSlice TenantId;
    public ArenaSlice AssetId;

    /// <summary>First of <see cref="TagCount"/> entries of <see cref="EventBatch.Pairs"/> for the event's tags.</summary>
    public int TagStart;
    public int TagCount;

    /// <summary>The payload message's bytes.</summary>
    public ArenaSlice Payload;

    /// <summary>
    /// telemetry.metric_name · cost.cost_type · security.threat_type · governance.governance_type ·
    /// metadata.change_type · policy.policy_id · custom.type_name.
    /// </summary>
    public ArenaSlice PayloadName;

    /// <summary>telemetry.metric_value · cost.amount · policy.score.</summary>
    public double PayloadValue;

    /// <summary>telemetry.unit · cost.currency · security.threat_level · governance.outcome · metadata.version · policy.decision.</summary>
    public ArenaSlice PayloadUnit;

    /// <summary>
    /// First of <see cref="PayloadPairCount"/> entries of <see cref="EventBatch.Pairs"/>:
    /// telemetry.dimensions · cost.attribution · security.details · governance.details ·
    /// metadata.attributes · policy.details · custom.fields.
    /// </summary>
    public int PayloadPairStart;
    public int PayloadPairCount;

    /// <summary>cost.input_tokens (0 otherwise).</summary>
    public ulong InputTokens;

    /// <summary>cost.output_tokens (0 otherwise).</summary>
    public ulong OutputTokens;

    /// <summary>
    /// Set by normalization: what <see cref="PayloadValue"/> measures once converted to its
    /// canonical unit (ms, bytes, per second, USD); <c>None</c> when it was kept as given.
    /// </summary>
    public Normalization.UnitDimension ValueDimension;

    /// <summary>Set by admission: why the event was rejected (<c>None</c> when accepted).</summary>
    public Validation.Rejection Rejection;

    /// <summary>Set by admission: the event repeats an event_id seen inside the duplicate window.</summary>
    public bool IsDuplicate;

    /// <summary>Why the event could not be decoded (<see cref="EventDecodeError.None"/> when it was).</summary>
    public EventDecodeError DecodeError;

    /// <summary>Field number the decode error concerns (0 when none).</summary>
    public int DecodeErrorField;
}
