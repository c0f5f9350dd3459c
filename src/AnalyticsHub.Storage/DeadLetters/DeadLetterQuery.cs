using AnalyticsHub.Core.Events;

namespace AnalyticsHub.Storage.DeadLetters;

/// <summary>
/// Filters and paging of <see cref="DeadLetterStore.List"/>. Every set filter must match
/// (AND); null means "any". Text filters match exactly.
/// </summary>
public sealed record DeadLetterQuery
{
    /// <summary>Largest page size.</summary>
    public const int MaxLimit = 1000;

    public string? TenantId { get; init; }
    public string? Code { get; init; }
    public SourceModule? SourceModule { get; init; }
    public string? EventId { get; init; }
    public string? ProducerId { get; init; }

    /// <summary>Received at or after this instant (inclusive).</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Received before this instant (exclusive).</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>true: only replayed letters; false: only never-replayed ones.</summary>
    public bool? Replayed { get; init; }

    /// <summary>Opaque token from <see cref="DeadLetterPage.NextCursor"/>; null for the first page.</summary>
    public string? Cursor { get; init; }

    /// <summary>Page size, 1..<see cref="MaxLimit"/> (default 100).</summary>
    public int Limit { get; init; } = 100;
}
