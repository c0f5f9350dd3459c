namespace AnalyticsHub.Core.Query;

/// <summary>What a query field names; decides whether rollups can answer (<see cref="QueryField.IsSeriesDimension"/>).</summary>
public enum FieldKind : byte
{
    // Series dimensions: part of every rollup series key.
    SourceModule,
    EventType,
    Severity,
    Environment,
    AssetId,

    /// <summary>A series tag looked up in tags, then payload dimensions (<see cref="Rollups.SeriesDimensions"/>): region, model, service, version and configured keys.</summary>
    SeriesTag,

    // Per-event fields: only the store can answer.
    EventId,
    CorrelationId,
    ParentEventId,

    /// <summary><c>tags.KEY</c> for a key that is not a series tag.</summary>
    Tag,

    /// <summary><c>payload.NAME</c>: the payload's measure columns (metric_name, metric_value, unit, cost_type, amount, currency, input_tokens, output_tokens …) or another payload field.</summary>
    Payload,

    /// <summary><c>payload.dimensions.KEY</c> (also attribution/details/attributes/fields: the payload's map).</summary>
    PayloadDimension,
}
