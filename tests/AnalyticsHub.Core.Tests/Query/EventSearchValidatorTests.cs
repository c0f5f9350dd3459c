using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Query;
using static AnalyticsHub.Core.Tests.Query.QueryTesting;

namespace AnalyticsHub.Core.Tests.Query;

public sealed class EventSearchValidatorTests
{
    private static Validated<EventSearchQuery> Search(SearchSpec spec, QueryLimits? limits = null) =>
        EventSearchValidator.Validate(spec, Now, limits ?? QueryLimits.Default, Dimensions);

    private static EventSearchQuery Valid(SearchSpec spec)
    {
        var result = Search(spec);
        Assert.True(result.IsValid, string.Join(" | ", result.Errors));
        return result.Value;
    }

    private static QueryError SearchError(SearchSpec spec)
    {
        var result = Search(spec);
        Assert.False(result.IsValid);
        return Assert.Single(result.Errors);
    }

    private static EventSearchQuery FromQueryString(params (string Name, string? Value)[] pairs)
    {
        var spec = SearchQueryString.Parse(pairs.Select(p => new KeyValuePair<string, string?>(p.Name, p.Value)));
        Assert.True(spec.IsValid, string.Join(" | ", spec.Errors));
        return Valid(spec.Value);
    }

    [Fact]
    public void Empty_IsTheLast24Hours_OfTheDefaultTenant_100PerPage()
    {
        var query = Valid(new SearchSpec());

        Assert.Equal("default", query.TenantId);
        Assert.Equal(Nanos(Now), query.EndUnixNano);
        Assert.Equal(Nanos(Now.AddHours(-24)), query.StartUnixNano);
        Assert.Equal(100, query.Limit);
        Assert.Equal(0, query.Offset);
        Assert.Null(query.After);
        Assert.Equal(Severity.Unspecified, query.MinSeverity);
        Assert.Null(query.CorrelationId);
        Assert.Empty(query.Filters);
    }

    [Fact]
    public void Range_IsExact_NotAligned()
    {
        var query = FromQueryString(("start", "2026-11-23T10:17:23.5+01:00"), ("end", "2026-11-23T12:00:00.000000001Z"));

        Assert.Equal(Nanos("2026-11-23T09:17:23.5Z"), query.StartUnixNano);
        Assert.Equal(Nanos("2026-11-23T12:00:00Z") + 1, query.EndUnixNano);
    }

    [Fact]
    public void Relative_EndsNow()
    {
        var query = FromQueryString(("last", "2h"));

        Assert.Equal(Nanos(Now.AddHours(-2)), query.StartUnixNano);
        Assert.Equal(Nanos(Now), query.EndUnixNano);
    }

    [Fact]
    public void FullQueryString_Resolves()
    {
        var query = FromQueryString(
            ("tenant_id", "acme"),
            ("severity", "warn"),
            ("correlation_id", "req-7"),
            ("source_module", "LLM_SENTINEL|observatory"),
            ("event_type", "security"),
            ("filter", "tags.user_tier:eq:pro"),
            ("filter", "severity:lte:error"),
            ("limit", "1000"),
            ("offset", "100000"));

        Assert.Equal("acme", query.TenantId);
        Assert.Equal(Severity.Warning, query.MinSeverity);
        Assert.Equal("req-7", query.CorrelationId);
        Assert.Equal(1000, query.Limit);
        Assert.Equal(100_000, query.Offset);
        Assert.Equal(
            ["severity lte error", "tags.user_tier eq pro", "source_module in llm-observatory|llm-sentinel", "event_type eq security"],
            query.Filters.Select(f => $"{f.Field.Name} {f.Operator.ToString().ToLowerInvariant()} {string.Join("|", f.Values)}"));
    }

    [Fact]
    public void Cursor_RoundTripsIntoAfter()
    {
        var cursor = SearchCursorCodec.Encode(new SearchCursor(1_795_478_400_000_000_007, "evt-9"));

        var query = FromQueryString(("cursor", cursor));

        Assert.Equal(new SearchCursor(1_795_478_400_000_000_007, "evt-9"), query.After);
    }

    [Fact]
    public void Cursor_Bad_SaysPassItUnchangedOrOmitIt()
    {
        var error = SearchError(new SearchSpec { Cursor = "not-a-cursor" });

        Assert.Equal("cursor", error.Field);
        Assert.Contains("pass next_cursor from the previous page unchanged, or omit cursor", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CursorAndOffset_AreRefused()
    {
        var error = SearchError(new SearchSpec { Cursor = SearchCursorCodec.Encode(new SearchCursor(1, "e")), Offset = 10 });

        Assert.Equal("offset", error.Field);
        Assert.Contains("offset and cursor cannot be combined", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(1001L)]
    public void Limit_Outside1To1000_IsRefused(long limit)
    {
        var error = SearchError(new SearchSpec { Limit = limit });

        Assert.Equal("limit", error.Field);
        Assert.Contains("is outside 1–1,000", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(100_001L)]
    public void Offset_Outside0To100000_IsRefused(long offset)
    {
        var error = SearchError(new SearchSpec { Offset = offset });

        Assert.Equal("offset", error.Field);
        Assert.Contains("page with the cursor", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Severity_Unknown_ListsTheNames()
    {
        var error = SearchError(new SearchSpec { Severity = "loud" });

        Assert.Equal("severity", error.Field);
        Assert.Contains("use one of debug, info, warning, error, critical", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SourceModuleShorthand_Unknown_IsReportedAtItsParameter()
    {
        var error = SearchError(new SearchSpec { SourceModules = ["observatory", "bogus"] });

        Assert.Equal("source_module", error.Field);
        Assert.Contains("'bogus' is not a valid source module", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Filters_FollowTheQueryRules_WithFilterPaths()
    {
        var result = Search(new SearchSpec
        {
            Filters = [Filter("event_id", "eq", "e1"), Filter("severity", "contains", "err"), Filter("tenant_id", "eq", "x"), Filter("model", "eq", "a", "b")],
        });

        Assert.Equal(["filter[1].op", "filter[2].field", "filter[3].values"], result.Errors.Select(e => e.Field));
    }

    [Fact]
    public void Range_Errors_UseParameterNames()
    {
        var result = Search(new SearchSpec { TimeRange = new TimeRangeSpec { Start = "2026-11-23", End = "x" } });

        Assert.Equal(["start", "end"], result.Errors.Select(e => e.Field));
        Assert.Equal("relative", SearchError(new SearchSpec { TimeRange = new TimeRangeSpec { Relative = "last year" } }).Field);
        Assert.Equal("start", SearchError(new SearchSpec { TimeRange = new TimeRangeSpec { Start = "2026-11-24T00:00:00Z", End = "2026-11-23T00:00:00Z" } }).Field);
    }

    [Fact]
    public void Tenant_AndCorrelationId_AreChecked()
    {
        var result = Search(new SearchSpec { TenantId = "a b", CorrelationId = "x\u0000y" });

        Assert.Equal(["tenant_id", "correlation_id"], result.Errors.Select(e => e.Field));
    }

    [Fact]
    public void ConfiguredDefaultRange_Applies()
    {
        var result = Search(new SearchSpec(), QueryLimits.Default with { DefaultSearchRange = TimeSpan.FromHours(1) });

        Assert.Equal(Nanos(Now.AddHours(-1)), result.Value!.StartUnixNano);
    }
}
