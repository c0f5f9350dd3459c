using System.Text;
using AnalyticsHub.Core.Query;
using AnalyticsHub.Core.Rollups;

namespace AnalyticsHub.Core.Tests.Query;

/// <summary>Shared clock, dimensions and shortcuts for the query tests.</summary>
internal static class QueryTesting
{
    /// <summary>A fixed clock, deliberately not on a minute boundary.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 17, 23, 456, TimeSpan.Zero);

    public static readonly SeriesDimensions Dimensions = new(["tier"]);

    public static long Nanos(DateTimeOffset time) => (time.UtcTicks - DateTime.UnixEpoch.Ticks) * 100;

    public static long Nanos(string rfc3339) => Nanos(DateTimeOffset.Parse(rfc3339, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A valid query to vary: latency_ms avg over one UTC day.</summary>
    public static QuerySpec Spec() => new()
    {
        Metric = "latency_ms",
        TimeRange = new TimeRangeSpec { Start = "2026-11-23T00:00:00Z", End = "2026-11-24T00:00:00Z" },
        Functions = ["avg"],
    };

    public static FilterSpec Filter(string field, string op, params string[] values) => new() { Field = field, Op = op, Values = values };

    public static Validated<MetricQuery> Validate(QuerySpec spec, QueryLimits? limits = null) =>
        QueryValidator.Validate(spec, Now, limits ?? QueryLimits.Default, Dimensions);

    public static MetricQuery Valid(QuerySpec spec, QueryLimits? limits = null)
    {
        var result = Validate(spec, limits);
        Assert.True(result.IsValid, "expected valid, got: " + string.Join(" | ", result.Errors));
        return result.Value;
    }

    /// <summary>The single error of an invalid spec.</summary>
    public static QueryError Error(QuerySpec spec, QueryLimits? limits = null)
    {
        var result = Validate(spec, limits);
        Assert.False(result.IsValid);
        return Assert.Single(result.Errors);
    }

    public static Validated<QuerySpec> ParseJson(string json) => QueryJson.Parse(Encoding.UTF8.GetBytes(json));

    public static QuerySpec ParsedJson(string json)
    {
        var result = ParseJson(json);
        Assert.True(result.IsValid, "expected valid JSON, got: " + string.Join(" | ", result.Errors));
        return result.Value;
    }

    /// <summary>The single error of an invalid body.</summary>
    public static QueryError JsonError(string json)
    {
        var result = ParseJson(json);
        Assert.False(result.IsValid);
        return Assert.Single(result.Errors);
    }

    public static MetricQuery FromJson(string json) => Valid(ParsedJson(json));
}
