using AnalyticsHub.Core.Query;

namespace AnalyticsHub.Core.Tests.Query;

public sealed class SearchQueryStringTests
{
    private static Validated<SearchSpec> Parse(params (string Name, string? Value)[] pairs) =>
        SearchQueryString.Parse(pairs.Select(p => new KeyValuePair<string, string?>(p.Name, p.Value)));

    private static SearchSpec Valid(params (string Name, string? Value)[] pairs)
    {
        var result = Parse(pairs);
        Assert.True(result.IsValid, string.Join(" | ", result.Errors));
        return result.Value;
    }

    [Fact]
    public void Parse_EveryParameter_FillsTheSpec()
    {
        var spec = Valid(
            ("tenant_id", "acme"),
            ("start", "2026-11-23T00:00:00+01:00"),
            ("end", "1795478400000000000"),
            ("severity", "warning"),
            ("correlation_id", "req-7"),
            ("source_module", "llm-observatory|sentinel"),
            ("event_type", "telemetry"),
            ("filter", "model:eq:gpt-4o"),
            ("filter", "tags.url:contains:https://x"),
            ("filter", "region:in:eu|us"),
            ("limit", "50"),
            ("offset", "100"));

        Assert.Equal("acme", spec.TenantId);
        Assert.Equal("2026-11-23T00:00:00+01:00", spec.TimeRange!.Start);
        Assert.Equal("1795478400000000000", spec.TimeRange.End);
        Assert.Equal("warning", spec.Severity);
        Assert.Equal("req-7", spec.CorrelationId);
        Assert.Equal(["llm-observatory", "sentinel"], spec.SourceModules);
        Assert.Equal(["telemetry"], spec.EventTypes);
        Assert.Equal(3, spec.Filters.Count);
        Assert.Equal(("model", "eq"), (spec.Filters[0].Field, spec.Filters[0].Op));
        Assert.Equal(["gpt-4o"], spec.Filters[0].Values);
        Assert.Equal(["https://x"], spec.Filters[1].Values);
        Assert.Equal(["eu", "us"], spec.Filters[2].Values);
        Assert.Equal(50, spec.Limit);
        Assert.Equal(100, spec.Offset);
        Assert.Null(spec.Cursor);
    }

    [Fact]
    public void Parse_Nothing_LeavesEverythingToDefaults()
    {
        var spec = Valid();

        Assert.Null(spec.TimeRange);
        Assert.Null(spec.Limit);
        Assert.Null(spec.Offset);
        Assert.Empty(spec.Filters);
    }

    [Theory]
    [InlineData("last", "24h", "last 24h")]
    [InlineData("last", "last 7d", "last 7d")]
    [InlineData("relative", "last 15m", "last 15m")]
    public void Parse_RelativeForms(string name, string value, string relative)
    {
        Assert.Equal(relative, Valid((name, value)).TimeRange!.Relative);
    }

    [Fact]
    public void Parse_RepeatedSourceModules_Accumulate()
    {
        Assert.Equal(["a", "b", "c"], Valid(("source_module", "a"), ("SOURCE_MODULE", "b|c")).SourceModules);
    }

    [Fact]
    public void Parse_EmptyValues_MeanNotGiven()
    {
        var spec = Valid(("severity", ""), ("limit", null), ("source_module", ""));

        Assert.Null(spec.Severity);
        Assert.Null(spec.Limit);
        Assert.Empty(spec.SourceModules);
    }

    [Theory]
    [InlineData("model:eq")]
    [InlineData("model")]
    [InlineData("")]
    public void Parse_FilterWithoutThreeParts_ShowsTheForm(string filter)
    {
        var error = Assert.Single(Parse(("filter", "a:eq:1"), ("filter", filter)).Errors);

        Assert.Equal("filter[1]", error.Field);
        Assert.Contains("is not field:op:value; write e.g. filter=model:eq:gpt-4o", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FilterValue_MayHoldColonsAndPipes()
    {
        var filter = Assert.Single(Valid(("filter", "tags.note:eq:a:b|c")).Filters);

        Assert.Equal(["a:b|c"], filter.Values);
    }

    [Fact]
    public void Parse_UnknownParameter_ListsTheKnownOnes()
    {
        var error = Assert.Single(Parse(("since", "1h")).Errors);

        Assert.Equal("since", error.Field);
        Assert.Contains("unknown parameter 'since'; use tenant_id, start, end, relative, last, severity", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RepeatedSingleParameter_IsRefused()
    {
        var error = Assert.Single(Parse(("limit", "10"), ("Limit", "20")).Errors);

        Assert.Equal("limit", error.Field);
        Assert.Contains("more than once", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LastAndRelative_AreRefused()
    {
        Assert.Equal("last", Assert.Single(Parse(("last", "1h"), ("relative", "last 1h")).Errors).Field);
    }

    [Theory]
    [InlineData("limit", "ten")]
    [InlineData("limit", "1.5")]
    [InlineData("offset", "99999999999999999999")]
    public void Parse_NonIntegerNumbers_AreRefused(string name, string value)
    {
        var error = Assert.Single(Parse((name, value)).Errors);

        Assert.Equal(name, error.Field);
        Assert.Contains("is not a whole number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HugeValue_IsRefused()
    {
        Assert.Contains("at most 4,096", Assert.Single(Parse(("correlation_id", new string('c', 5000))).Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TooManyParameters_IsRefused()
    {
        var pairs = Enumerable.Range(0, 1001).Select(i => ("filter", (string?)$"tags.k{i}:eq:v")).ToArray();

        Assert.Contains(Parse(pairs).Errors, e => e.Message.Contains("more than 1,000 query parameters", StringComparison.Ordinal));
    }
}
