using AnalyticsHub.Core.Query;

namespace AnalyticsHub.Storage.Tests.Query;

/// <summary>Query and field builders for the query tests.</summary>
internal static class QueryTestKit
{
    public static QueryField SourceModuleField => new(FieldKind.SourceModule, "source_module", "");
    public static QueryField EventTypeField => new(FieldKind.EventType, "event_type", "");
    public static QueryField SeverityField => new(FieldKind.Severity, "severity", "");
    public static QueryField EnvironmentField => new(FieldKind.Environment, "environment", "");
    public static QueryField AssetIdField => new(FieldKind.AssetId, "asset_id", "");
    public static QueryField EventIdField => new(FieldKind.EventId, "event_id", "");
    public static QueryField CorrelationIdField => new(FieldKind.CorrelationId, "correlation_id", "");
    public static QueryField ParentEventIdField => new(FieldKind.ParentEventId, "parent_event_id", "");

    public static QueryField SeriesTag(string key) => new(FieldKind.SeriesTag, key, key);

    public static QueryField Tag(string key) => new(FieldKind.Tag, "tags." + key, key);

    public static QueryField Payload(string key) => new(FieldKind.Payload, "payload." + key, key);

    public static QueryField Dimension(string key) => new(FieldKind.PayloadDimension, "payload.dimensions." + key, key);

    public static QueryFilter Filter(QueryField field, FilterOperator op, params string[] values) => new(field, op, values);

    public static EventSearchQuery Search(int limit = 1000, params QueryFilter[] filters) => new()
    {
        TenantId = QueryScenario.Tenant,
        StartUnixNano = QueryScenario.Start,
        EndUnixNano = QueryScenario.End,
        Filters = filters,
        Limit = limit,
    };

    public static MetricQuery Metric(string? metric, long bucketSeconds, AggregateFunction[] functions, QueryField[]? groupBy = null, QueryFilter[]? filters = null, CompositeMetric composite = CompositeMetric.None) => new()
    {
        TenantId = QueryScenario.Tenant,
        Metric = metric,
        Composite = composite,
        StartUnixNano = QueryScenario.Start,
        EndUnixNano = QueryScenario.End,
        BucketSeconds = bucketSeconds,
        Functions = functions,
        GroupBy = groupBy ?? [],
        Filters = filters ?? [],
        NormalizedKey = "test",
    };

    public static string Describe(QueryFilter filter) => $"{filter.Field.Name} {filter.Operator} [{string.Join(", ", filter.Values.Select(v => "\"" + v + "\""))}]";
}
