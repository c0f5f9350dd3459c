using System.Text;
using System.Text.Json;
using AnalyticsHub.Core.Query;
using AnalyticsHub.Server.Query;

namespace AnalyticsHub.Server.UnitTests.Query;

/// <summary>Percentiles (estimates accurate to 1 %) are written to six significant digits in both layouts; exact aggregates keep every digit.</summary>
public sealed class QueryDataWriterTests
{
    private const long Minute = 60_000_000_000L;
    private static readonly long Start = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000_000;

    [Theory]
    [InlineData(ResultFormat.Points)]
    [InlineData(ResultFormat.Columns)]
    public void Percentiles_HaveSixSignificantDigits_OtherValuesAllOfThem(ResultFormat format)
    {
        var query = new MetricQuery
        {
            TenantId = "default",
            Metric = "latency_ms",
            StartUnixNano = Start,
            EndUnixNano = Start + (2 * Minute),
            BucketSeconds = 60,
            Functions = [AggregateFunction.Avg, AggregateFunction.P99, AggregateFunction.Max],
            NormalizedKey = "test",
            Format = format,
        };
        var result = new QueryResult
        {
            Columns = ["avg", "p99", "max"],
            Series =
            [
                new ResultSeries(new Dictionary<string, string>(),
                [
                    new ResultPoint(Start, [245.73456789012345, 812.3456789, 1234.5678901]),
                    new ResultPoint(Start + Minute, [double.NaN, 1.234567891e15, 0.000123456789]),
                ]),
            ],
            Source = "rollup",
        };

        using var json = JsonDocument.Parse(Render(query, result, format));
        var series = json.RootElement.GetProperty("series")[0];
        double[][] values = format == ResultFormat.Points
            ? [.. series.GetProperty("points").EnumerateArray().Select(p => new[] { "avg", "p99", "max" }.Select(c => Number(p.GetProperty("values").GetProperty(c))).ToArray())]
            : [.. Enumerable.Range(0, 2).Select(i => new[] { "avg", "p99", "max" }.Select(c => Number(series.GetProperty("values").GetProperty(c)[i])).ToArray())];

        Assert.Equal([245.73456789012345, 812.346, 1234.5678901], values[0]);
        Assert.True(double.IsNaN(values[1][0])); // null
        Assert.Equal(1.23457e15, values[1][1]);
        Assert.Equal(0.000123456789, values[1][2]);
    }

    private static double Number(JsonElement value) => value.ValueKind == JsonValueKind.Null ? double.NaN : value.GetDouble();

    private static string Render(MetricQuery query, QueryResult result, ResultFormat format)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            QueryDataWriter.Write(writer, query, result, format);
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
