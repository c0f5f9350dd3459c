namespace AnalyticsHub.Core.Query;

/// <summary>
/// A field a filter, group_by or search names, resolved: <see cref="Kind"/> plus, for tags and
/// payload fields, the key. <see cref="Name"/> is the canonical spelling used in results,
/// cache keys and messages (<c>source_module</c>, <c>model</c>, <c>tags.user_tier</c>,
/// <c>payload.dimensions.region</c>).
/// </summary>
public readonly record struct QueryField(FieldKind Kind, string Name, string Key)
{
    /// <summary>True when every rollup series carries this field, so rollups can filter and group on it.</summary>
    public bool IsSeriesDimension => Kind <= FieldKind.SeriesTag;

    public override string ToString() => Name;
}
