using System.Buffers;
using System.Text;
using System.Text.Json;

namespace AnalyticsHub.Core.Query;

/// <summary>
/// The canonical text of a validated metric query (<see cref="MetricQuery.NormalizedKey"/>):
/// compact JSON of everything resolved — tenant, metric, composite, aligned start and end,
/// bucket, filters (already sorted), functions and group_by in the order asked, order_by with
/// explicit directions, the effective limit. Strings are JSON-escaped, so no value can forge a
/// separator; a leading version lets the format change without stale cache hits.
/// </summary>
internal static class QueryKey
{
    public static string Of(
        string tenantId,
        string? metric,
        CompositeMetric composite,
        long start,
        long end,
        long bucketSeconds,
        IReadOnlyList<QueryFilter> filters,
        IReadOnlyList<AggregateFunction> functions,
        IReadOnlyList<QueryField> groupBy,
        IReadOnlyList<QueryOrder> orderBy,
        int limit)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", 1);
            writer.WriteString("tenant", tenantId);
            writer.WriteString("metric", metric ?? "");
            writer.WriteString("composite", QueryNames.Name(composite));
            writer.WriteNumber("start", start);
            writer.WriteNumber("end", end);
            writer.WriteNumber("bucket", bucketSeconds);
            writer.WriteStartArray("filters");
            foreach (var filter in filters)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(filter.Field.Name);
                writer.WriteNumberValue((int)filter.Field.Kind);
                writer.WriteStringValue(QueryNames.Name(filter.Operator));
                writer.WriteStartArray();
                foreach (var value in filter.Values)
                {
                    writer.WriteStringValue(value);
                }

                writer.WriteEndArray();
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("functions");
            foreach (var function in functions)
            {
                writer.WriteStringValue(QueryNames.Name(function));
            }

            writer.WriteEndArray();
            writer.WriteStartArray("group_by");
            foreach (var field in groupBy)
            {
                writer.WriteStringValue(field.Name);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("order_by");
            foreach (var order in orderBy)
            {
                writer.WriteStringValue(Describe(order, composite) + (order.Descending ? " desc" : " asc"));
            }

            writer.WriteEndArray();
            writer.WriteNumber("limit", limit);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Describe(QueryOrder order, CompositeMetric composite) =>
        order.Function is { } function ? "fn:" + QueryNames.Name(function)
        : order.Field is { } field ? "field:" + field.Name
        : "value:" + QueryNames.Name(composite);
}
