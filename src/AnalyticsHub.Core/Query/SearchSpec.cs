namespace AnalyticsHub.Core.Query;

/// <summary>
/// An event search as sent, before validation: filled by <see cref="SearchQueryString"/>
/// (REST query string) or from the protobuf <c>SearchEventsRequest</c> (gRPC). Null or empty
/// means "not given". <see cref="EventSearchValidator"/> turns it into an
/// <see cref="EventSearchQuery"/>; its error paths are the query-string parameter names
/// (<c>start</c>, <c>severity</c>, <c>filter[0].op</c>, <c>limit</c>).
/// </summary>
public sealed record SearchSpec
{
    public string? TenantId { get; init; }

    /// <summary>Not given: the last 24 hours (<see cref="QueryLimits.DefaultSearchRange"/>).</summary>
    public TimeRangeSpec? TimeRange { get; init; }

    /// <summary>Minimum severity name (<c>warning</c>: warning, error and critical events).</summary>
    public string? Severity { get; init; }

    public string? CorrelationId { get; init; }

    /// <summary>Shorthand for an <c>eq</c> filter on source_module (<c>in</c> when several names are given).</summary>
    public IReadOnlyList<string> SourceModules { get; init; } = [];

    /// <summary>Shorthand for an <c>eq</c> filter on event_type (<c>in</c> when several names are given).</summary>
    public IReadOnlyList<string> EventTypes { get; init; } = [];

    public IReadOnlyList<FilterSpec> Filters { get; init; } = [];

    /// <summary>Null: the default (100). The gRPC mapping passes null for 0.</summary>
    public long? Limit { get; init; }

    /// <summary>An opaque cursor from a previous page (<see cref="SearchCursorCodec"/>).</summary>
    public string? Cursor { get; init; }

    /// <summary>Null: 0.</summary>
    public long? Offset { get; init; }
}
