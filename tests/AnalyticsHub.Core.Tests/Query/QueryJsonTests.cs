using AnalyticsHub.Core.Query;
using static AnalyticsHub.Core.Tests.Query.QueryTesting;

namespace AnalyticsHub.Core.Tests.Query;

public sealed class QueryJsonTests
{
    private const string FullExample = """
        {
          "tenant_id": "acme",
          "metric": "latency_ms",
          "time_range": {"start": "2026-11-23T00:00:00+02:00", "end": "2026-11-24T00:00:00Z"},
          "filters": [{"field": "source_module", "op": "eq", "value": "llm-observatory"},
                      {"field": "model", "op": "in", "values": ["gpt-4o", "claude-3"]}],
          "aggregation": {"functions": ["avg", "p95", "p99"], "time_bucket": "1h", "group_by": ["model"]},
          "order_by": [{"field": "p99", "direction": "desc"}],
          "limit": 10
        }
        """;

    [Fact]
    public void Parse_FullExample_FillsEveryPart()
    {
        var spec = ParsedJson(FullExample);

        Assert.Equal("acme", spec.TenantId);
        Assert.Equal("latency_ms", spec.Metric);
        Assert.Null(spec.Composite);
        Assert.Equal("2026-11-23T00:00:00+02:00", spec.TimeRange!.Start);
        Assert.Equal("2026-11-24T00:00:00Z", spec.TimeRange.End);
        Assert.Null(spec.TimeRange.Relative);
        Assert.Equal(2, spec.Filters.Count);
        Assert.Equal(("source_module", "eq"), (spec.Filters[0].Field, spec.Filters[0].Op));
        Assert.Equal(["llm-observatory"], spec.Filters[0].Values);
        Assert.Equal(["gpt-4o", "claude-3"], spec.Filters[1].Values);
        Assert.Equal(["avg", "p95", "p99"], spec.Functions);
        Assert.Equal("1h", spec.TimeBucket);
        Assert.Equal(["model"], spec.GroupBy);
        var order = Assert.Single(spec.OrderBy);
        Assert.Equal(("p99", "desc"), (order.Field, order.Direction));
        Assert.Equal(10, spec.Limit);
    }

    [Fact]
    public void Parse_FullExample_Validates()
    {
        var query = FromJson(FullExample);

        Assert.Equal("acme", query.TenantId);
        Assert.Equal(Nanos("2026-11-22T22:00:00Z"), query.StartUnixNano);
        Assert.Equal(Nanos("2026-11-24T00:00:00Z"), query.EndUnixNano);
        Assert.Equal(3600, query.BucketSeconds);
        Assert.Equal([AggregateFunction.Avg, AggregateFunction.P95, AggregateFunction.P99], query.Functions);
        Assert.Equal(10, query.Limit);
    }

    [Fact]
    public void Parse_CompositeExample_KeepsComposite()
    {
        var spec = ParsedJson("""{"composite": "cost_per_request", "time_range": "last 7d"}""");

        Assert.Equal("cost_per_request", spec.Composite);
        Assert.Null(spec.Metric);
    }

    [Fact]
    public void Parse_TimeRangeAsString_IsRelative()
    {
        var spec = ParsedJson("""{"metric": "m", "time_range": "last 24h"}""");

        Assert.Equal("last 24h", spec.TimeRange!.Relative);
        Assert.Null(spec.TimeRange.Start);
    }

    [Fact]
    public void Parse_TimeRangeRelativeObject_IsRelative()
    {
        var spec = ParsedJson("""{"metric": "m", "time_range": {"relative": "last 15m"}}""");

        Assert.Equal("last 15m", spec.TimeRange!.Relative);
    }

    [Fact]
    public void Parse_IntegerNanos_BecomeDecimalText()
    {
        var spec = ParsedJson("""{"metric": "m", "time_range": {"start": 1795384800000000000, "end": 1795471200000000000}}""");

        Assert.Equal("1795384800000000000", spec.TimeRange!.Start);
        Assert.Equal("1795471200000000000", spec.TimeRange.End);
    }

    [Fact]
    public void Parse_FractionalNanos_IsAnError()
    {
        var error = JsonError("""{"metric": "m", "time_range": {"start": 1.5, "end": 2}}""");

        Assert.Equal("time_range.start", error.Field);
        Assert.Contains("integer Unix nanoseconds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FilterNumberValue_KeepsItsText()
    {
        var spec = ParsedJson("""{"filters": [{"field": "payload.metric_value", "op": "gt", "value": 2.5e3}, {"field": "tags.n", "op": "in", "values": [1, "2"]}]}""");

        Assert.Equal(["2.5e3"], spec.Filters[0].Values);
        Assert.Equal(["1", "2"], spec.Filters[1].Values);
    }

    [Fact]
    public void Parse_FunctionAlias_IsOneFunction()
    {
        var spec = ParsedJson("""{"aggregation": {"function": "p99"}}""");

        Assert.Equal(["p99"], spec.Functions);
    }

    [Fact]
    public void Parse_IntervalAlias_IsTimeBucket()
    {
        var spec = ParsedJson("""{"aggregation": {"interval": "5m"}}""");

        Assert.Equal("5m", spec.TimeBucket);
    }

    [Fact]
    public void Parse_FunctionAndFunctions_IsAnError()
    {
        var error = JsonError("""{"aggregation": {"function": "p99", "functions": ["avg"]}}""");

        Assert.Equal("aggregation.function", error.Field);
        Assert.Contains("not both", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_IntervalAndTimeBucket_IsAnError()
    {
        var error = JsonError("""{"aggregation": {"interval": "5m", "time_bucket": "1h"}}""");

        Assert.Equal("aggregation.interval", error.Field);
    }

    [Fact]
    public void Parse_ValueAndValues_IsAnError()
    {
        var error = JsonError("""{"filters": [{"field": "model", "op": "in", "value": "a", "values": ["b"]}]}""");

        Assert.Equal("filters[0].values", error.Field);
        Assert.Contains("not both", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NullMeansNotGiven()
    {
        var spec = ParsedJson("""{"tenant_id": null, "metric": "m", "composite": null, "filters": null, "aggregation": {"functions": ["avg"], "time_bucket": null, "group_by": null}, "order_by": null, "limit": null, "time_range": {"relative": "last 1h", "start": null}}""");

        Assert.Null(spec.TenantId);
        Assert.Null(spec.TimeBucket);
        Assert.Empty(spec.Filters);
        Assert.Equal(0, spec.Limit);
        Assert.Null(spec.TimeRange!.Start);
    }

    [Fact]
    public void Parse_EmptyObject_IsAValidSpecThatFailsValidation()
    {
        var spec = ParsedJson("{}");

        var errors = Validate(spec).Errors;

        Assert.Contains(errors, e => e.Field == "metric");
        Assert.Contains(errors, e => e.Field == "time_range");
        Assert.Contains(errors, e => e.Field == "aggregation.functions");
    }

    [Fact]
    public void Parse_ByteOrderMark_IsSkipped()
    {
        var body = new byte[] { 0xEF, 0xBB, 0xBF }.Concat("""{"metric": "m"}"""u8.ToArray()).ToArray();

        var result = QueryJson.Parse(body);

        Assert.True(result.IsValid);
        Assert.Equal("m", result.Value.Metric);
    }

    [Fact]
    public void Parse_EscapedStrings_AreDecoded()
    {
        var spec = ParsedJson("""{"metric": "lat\u00e9ncy \"ms\""}""");

        Assert.Equal("laténcy \"ms\"", spec.Metric);
    }

    [Fact]
    public void Parse_TwoSpellingsOfOneQuery_GiveOneKey()
    {
        var a = FromJson("""
            {"metric": "latency_ms", "time_range": {"start": "2026-11-23T05:30:00+05:30", "end": "2026-11-24T00:00:00Z"},
             "filters": [{"field": "severity", "op": "gte", "value": "WARN"}, {"field": "tags.model", "op": "in", "values": ["b", "a"]}],
             "aggregation": {"function": "P99", "interval": "1H", "group_by": ["tags.region"]}, "limit": 100}
            """);
        var b = FromJson("""
            {"tenant_id": "default", "metric": "latency_ms", "time_range": {"end": 1795478400000000000, "start": "2026-11-23T00:00:00Z"},
             "filters": [{"field": "model", "op": "in", "values": ["a", "b", "a"]}, {"field": "severity", "op": "gte", "values": ["warning"]}],
             "aggregation": {"functions": ["p99"], "time_bucket": "1h", "group_by": ["region"]}}
            """);

        Assert.Equal(a.NormalizedKey, b.NormalizedKey);
    }
}
