namespace AnalyticsHub.Core.Query;

/// <summary>
/// One order_by entry as sent: a requested function's name, a group_by field, or the
/// composite's name; <see cref="Direction"/> <c>asc</c> or <c>desc</c>, null or empty for the
/// default (descending for functions and composites, ascending for fields).
/// </summary>
public sealed record OrderSpec
{
    public string? Field { get; init; }

    public string? Direction { get; init; }
}
