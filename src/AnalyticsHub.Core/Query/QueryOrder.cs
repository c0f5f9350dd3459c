namespace AnalyticsHub.Core.Query;

/// <summary>
/// Orders result series: by an aggregate (<see cref="Function"/> set — series compared by that
/// aggregate over the whole range), by a group_by field's value (<see cref="Field"/> set), or,
/// for a composite, by the composite's value over the whole range (neither set: <see cref="ByValue"/>).
/// </summary>
public sealed record QueryOrder(AggregateFunction? Function, QueryField? Field, bool Descending)
{
    /// <summary>True when ordering by the composite metric's value (order_by names the composite).</summary>
    public bool ByValue => Function is null && Field is null;
}
