using AnalyticsHub.Core.Query;
using AnalyticsHub.Core.Rollups;

namespace AnalyticsHub.Storage.Stores;

/// <summary>
/// Queries over the raw events a store holds: event search, and the raw-event path of metric
/// queries (what rollups cannot answer: a filter or group_by on a per-event or payload field).
/// Every store answers every query identically; the rules below are the contract.
/// </summary>
/// <remarks>
/// <para><b>Scope.</b> Always one tenant (<c>tenant_id</c> = the query's) and
/// <c>StartUnixNano ≤ time &lt; EndUnixNano</c> (event time, nanoseconds).</para>
/// <para><b>Fields.</b> A filter or group_by field's value for an event is:
/// <list type="bullet">
/// <item><c>source_module</c>, <c>event_type</c>, <c>severity</c>: the stored enum, named as Core names
/// it (<c>llm-observatory</c>, <c>telemetry</c>, <c>error</c>; filter values are parsed leniently by
/// <c>SourceModuleNames</c>, <c>EnumNames</c>, <c>SeverityMapper</c>, or given as the enum's number).
/// Unspecified counts as missing.</item>
/// <item><c>environment</c>, <c>asset_id</c>, <c>correlation_id</c>, <c>parent_event_id</c>: the column.</item>
/// <item><c>event_id</c>: the canonical lower-case UUID text (eq/neq/in parse the filter value as a UUID, any case).</item>
/// <item><c>tags.KEY</c>: the value under KEY in the event's tags; <c>payload.dimensions.KEY</c> (any
/// spelling of the map): the value under KEY in the payload's map (telemetry <c>dimensions</c>, cost
/// <c>attribution</c>, security/governance/policy <c>details</c>, metadata <c>attributes</c>, custom <c>fields</c>).</item>
/// <item>A series tag (<see cref="SeriesDimensions.Candidates"/>): the value of the first candidate whose
/// key is present (tags under the name, then its aliases, then the payload map likewise) — the rollup
/// path's rule.</item>
/// <item><c>payload.NAME</c>: the typed column when NAME is the payload kind's measure (metric_name,
/// cost_type, threat_type, governance_type, change_type, policy_id of a policy, type_name → name;
/// metric_value, amount, score → value; unit, currency, threat_level, outcome, version of metadata,
/// decision → unit; input_tokens, output_tokens of cost), else the payload's top-level field NAME.</item>
/// </list>
/// A value is text (a JSON string or boolean, <c>true</c>/<c>false</c>) or a number (a numeric column
/// or a JSON number). Missing: no such field or key, an empty text, a JSON null/array/object, a NaN value.</para>
/// <para><b>Operators.</b> <c>eq</c>: the text equals the filter value (exactly, case-sensitive), or the
/// number equals the filter value read as a number (invariant culture, finite); <c>in</c>: eq for any
/// value; <c>neq</c>: not eq (so a missing field matches neq); <c>contains</c>: the text contains the filter
/// value (ordinal, case-sensitive; numbers never contain); <c>gt/gte/lt/lte</c>: when the filter value
/// reads as a finite number, the field's number — a numeric value, or a text that is a plain decimal
/// number (<c>-?digits[.digits][e±ddd]</c>) — compared numerically (texts that are not numbers never
/// match); otherwise the texts compared by their UTF-8 bytes. Enum fields compare by their enum number
/// for a numeric filter value and always for severity, else by name. A missing field matches only
/// <c>neq</c>. Nothing matches an empty filter value but <c>neq</c> (and <c>contains ""</c>, which
/// matches every present text).</para>
/// <para><b>Metric queries.</b> Selected events: a plain metric — <c>name = Metric</c>;
/// CostPerRequest and CostPer1kTokens — cost events (and <c>name = Metric</c> when given);
/// ErrorAdjustedThroughput — telemetry events (likewise). The measured value is <c>value</c> for
/// telemetry and cost payloads and 1 for every other payload kind; an event whose measured value is
/// not finite is left out entirely (as rollups do). Bucket: the event time floored to
/// <c>BucketSeconds</c> (from the Unix epoch), or <c>StartUnixNano</c> when BucketSeconds is 0.
/// Percentiles are never computed by a database: the values are streamed into a
/// <see cref="QuantileSketch"/> per cell.</para>
/// <para><b>Bounds.</b> At most <see cref="EventQueryLimits.MaxCells"/> cells, else
/// <see cref="QueryRejectedException"/> (<see cref="QueryRejection.TooManyGroups"/>). A search page
/// examines at most <see cref="EventQueryLimits.MaxScanRows"/> events of the scope (after the cursor,
/// with the correlation id when given); when it stops there first, the page may be short (even empty)
/// and <see cref="EventSearchPage.Next"/> points at the last event examined.</para>
/// <para><b>Failures.</b> <see cref="QueryRejectedException"/> for a query the store will not run
/// (<see cref="QueryRejection.InvalidValue"/>: a NUL character, a malformed cursor);
/// <see cref="StoreUnavailableException"/> when the store cannot answer now.</para>
/// </remarks>
public interface IEventQueries
{
    /// <summary>Bounds on what one query may cost; settable (tests lower them).</summary>
    EventQueryLimits QueryLimits { get; set; }

    /// <summary>
    /// One page of the tenant's events in the range matching every filter, the minimum severity and the
    /// correlation id, newest first by (time, event_id) descending. With <see cref="EventSearchQuery.After"/>:
    /// only events strictly after that position in this order; otherwise <see cref="EventSearchQuery.Offset"/>
    /// matching events are skipped.
    /// </summary>
    Task<EventSearchPage> SearchAsync(EventSearchQuery query, SeriesDimensions dimensions, CancellationToken cancellationToken);

    /// <summary>
    /// The metric query's cells from raw events: one per (bucket start, group values) that has events,
    /// in no particular order.
    /// </summary>
    Task<IReadOnlyList<AggregateCell>> AggregateAsync(MetricQuery query, SeriesDimensions dimensions, CancellationToken cancellationToken);
}
