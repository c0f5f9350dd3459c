using AnalyticsHub.Core.Events;

namespace AnalyticsHub.Core.Query;

/// <summary>
/// A validated event search (REST <c>GET /api/v1/events</c>, gRPC <c>QueryService.SearchEvents</c>):
/// one tenant's stored events in [<see cref="StartUnixNano"/>, <see cref="EndUnixNano"/>), newest
/// first (time, then event id, both descending), paged by <see cref="After"/> (a cursor: rows
/// strictly older than it) or by <see cref="Offset"/>.
/// </summary>
public sealed record EventSearchQuery
{
    public required string TenantId { get; init; }

    public required long StartUnixNano { get; init; }

    public required long EndUnixNano { get; init; }

    public IReadOnlyList<QueryFilter> Filters { get; init; } = [];

    /// <summary>Only events at least this severe (<c>Unspecified</c>: no bound).</summary>
    public Severity MinSeverity { get; init; }

    public string? CorrelationId { get; init; }

    /// <summary>Page size, 1..1000.</summary>
    public int Limit { get; init; } = 100;

    /// <summary>Keyset position: return events ordered after this one (exclusive). Null for the first page.</summary>
    public SearchCursor? After { get; init; }

    /// <summary>Rows to skip (offset pagination; ignored with a cursor).</summary>
    public int Offset { get; init; }
}

/// <summary>A position in newest-first order: the last event of the previous page.</summary>
public readonly record struct SearchCursor(long TimeUnixNano, string EventId);
