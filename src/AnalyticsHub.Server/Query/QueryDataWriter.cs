using System.Text.Json;
using AnalyticsHub.Core.Query;
using AnalyticsHub.Server.Endpoints;

namespace AnalyticsHub.Server.Query;

/// <summary>
/// Writes the <c>data</c> object of a metric answer in either <see cref="ResultFormat"/>. Undefined values (the average
/// of nothing) are <c>null</c>; percentiles have six significant digits (they are estimates accurate to 1 %); times
/// are RFC 3339 UTC with nanoseconds plus the raw Unix nanoseconds.
/// </summary>
public static class QueryDataWriter
{
    public static void Write(Utf8JsonWriter json, MetricQuery query, QueryResult result, ResultFormat format)
    {
        json.WriteStartObject();
        json.WriteStartArray("columns");
        foreach (var column in result.Columns)
        {
            json.WriteStringValue(column);
        }
        json.WriteEndArray();
        json.WriteString("format", format == ResultFormat.Columns ? "columns" : "points");
        var percentiles = query.PercentileColumns();
        json.WriteStartArray("series");
        foreach (var series in result.Series)
        {
            json.WriteStartObject();
            json.WriteStartObject("group");
            foreach (var (name, value) in series.Group)
            {
                json.WriteString(name, value);
            }
            json.WriteEndObject();
            if (format == ResultFormat.Columns)
            {
                WriteColumns(json, query, result.Columns, percentiles, series.Points);
            }
            else
            {
                WritePoints(json, result.Columns, percentiles, series.Points);
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WritePoints(Utf8JsonWriter json, IReadOnlyList<string> columns, bool[] percentiles, IReadOnlyList<ResultPoint> points)
    {
        json.WriteStartArray("points");
        foreach (var point in points)
        {
            json.WriteStartObject();
            json.WriteString("time", QueryJsonWriter.Time(point.BucketStartUnixNano));
            json.WriteNumber("time_unix_nano", point.BucketStartUnixNano);
            json.WriteStartObject("values");
            for (int i = 0; i < columns.Count; i++)
            {
                json.WritePropertyName(columns[i]);
                WriteValue(json, point.Values[i], percentiles[i]);
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>
    /// Dense arrays from the first to the last non-empty bucket: bucket i starts at start + i × step. Points come
    /// sorted by time and at most MaxPointsPerSeries apart (the validator bounds the range), so the arrays are bounded.
    /// </summary>
    private static void WriteColumns(
        Utf8JsonWriter json, MetricQuery query, IReadOnlyList<string> columns, bool[] percentiles, IReadOnlyList<ResultPoint> points)
    {
        long step = query.BucketSeconds != 0 ? query.BucketSeconds * 1_000_000_000L : query.EndUnixNano - query.StartUnixNano;
        long first = points.Count > 0 ? points[0].BucketStartUnixNano : query.StartUnixNano;
        long buckets = points.Count > 0 ? ((points[^1].BucketStartUnixNano - first) / step) + 1 : 0;
        json.WriteString("start", QueryJsonWriter.Time(first));
        json.WriteNumber("start_unix_nano", first);
        json.WriteNumber("step_seconds", step / 1_000_000_000L);
        json.WriteNumber("buckets", buckets);
        json.WriteStartObject("values");
        for (int c = 0; c < columns.Count; c++)
        {
            json.WriteStartArray(columns[c]);
            long next = first;
            foreach (var point in points)
            {
                for (; next < point.BucketStartUnixNano; next += step)
                {
                    json.WriteNullValue();
                }
                WriteValue(json, point.Values[c], percentiles[c]);
                next += step;
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter json, double value, bool percentile)
    {
        if (percentile)
        {
            json.WriteEstimateOrNullValue(value);
        }
        else
        {
            json.WriteNumberOrNullValue(value);
        }
    }
}
