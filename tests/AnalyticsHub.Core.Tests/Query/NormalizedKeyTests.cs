using AnalyticsHub.Core.Query;
using static AnalyticsHub.Core.Tests.Query.QueryTesting;

namespace AnalyticsHub.Core.Tests.Query;

public sealed class NormalizedKeyTests
{
    private static QuerySpec Rich() => Spec() with
    {
        TenantId = "acme",
        TimeRange = new TimeRangeSpec { Start = "2026-11-23T00:00:00Z", End = "2026-11-24T00:00:00Z" },
        TimeBucket = "1h",
        Functions = ["avg", "p99"],
        Filters = [Filter("source_module", "eq", "llm-observatory"), Filter("model", "in", "gpt-4o", "claude-3")],
        GroupBy = ["model", "region"],
        OrderBy = [new OrderSpec { Field = "p99" }],
        Limit = 10,
    };

    private static string Key(QuerySpec spec) => Valid(spec).NormalizedKey;

    [Fact]
    public void Key_IsCanonicalJsonOfTheResolvedQuery()
    {
        Assert.Equal(
            """{"v":1,"tenant":"acme","metric":"latency_ms","composite":"","start":1795392000000000000,"end":1795478400000000000,"bucket":3600,"filters":[["model",5,"in",["claude-3","gpt-4o"]],["source_module",0,"eq",["llm-observatory"]]],"functions":["avg","p99"],"group_by":["model","region"],"order_by":["fn:p99 desc"],"limit":10}""",
            Key(Rich()));
    }

    public static TheoryData<string, QuerySpec> Equivalent => new()
    {
        { "filters in another order", Rich() with { Filters = [Filter("model", "in", "claude-3", "gpt-4o"), Filter("source_module", "eq", "llm-observatory")] } },
        { "in values reordered and repeated", Rich() with { Filters = [Filter("source_module", "eq", "llm-observatory"), Filter("model", "in", "claude-3", "gpt-4o", "claude-3")] } },
        { "module spelled as the enum", Rich() with { Filters = [Filter("source_module", "EQ", "LLM_OBSERVATORY"), Filter("model", "in", "gpt-4o", "claude-3")] } },
        { "tags.model for model", Rich() with { Filters = [Filter("source_module", "eq", "observatory"), Filter("tags.model", "in", "gpt-4o", "claude-3")], GroupBy = ["tags.model", "tags.region"] } },
        { "a filter repeated", Rich() with { Filters = [.. Rich().Filters, Filter("source_module", "eq", "llm-observatory")] } },
        { "functions in other case", Rich() with { Functions = ["AVG", "P99"] } },
        { "bucket in other case", Rich() with { TimeBucket = "1H" } },
        { "explicit default direction", Rich() with { OrderBy = [new OrderSpec { Field = "p99", Direction = "desc" }] } },
        { "same instants in other offsets", Rich() with { TimeRange = new TimeRangeSpec { Start = "2026-11-23T05:30:00+05:30", End = "2026-11-23T16:00:00-08:00" } } },
        { "unaligned range in the same buckets", Rich() with { TimeRange = new TimeRangeSpec { Start = "2026-11-23T00:59:59Z", End = "2026-11-23T23:00:01Z" } } },
        { "range as nanoseconds", Rich() with { TimeRange = new TimeRangeSpec { Start = "1795392000000000000", End = "1795478400000000000" } } },
    };

    [Theory]
    [MemberData(nameof(Equivalent))]
    public void Key_EquivalentSpellings_AreEqual(string because, QuerySpec spec)
    {
        Assert.True(Key(Rich()) == Key(spec), because);
    }

    [Fact]
    public void Key_DefaultTenantAndLimit_EqualExplicitOnes()
    {
        Assert.Equal(Key(Spec()), Key(Spec() with { TenantId = "default", Limit = 100 }));
    }

    public static TheoryData<string, QuerySpec> Different => new()
    {
        { "tenant", Rich() with { TenantId = "other" } },
        { "metric", Rich() with { Metric = "latency_p" } },
        { "start", Rich() with { TimeRange = new TimeRangeSpec { Start = "2026-11-23T01:00:00Z", End = "2026-11-24T00:00:00Z" } } },
        { "end", Rich() with { TimeRange = new TimeRangeSpec { Start = "2026-11-23T00:00:00Z", End = "2026-11-24T01:00:00Z" } } },
        { "bucket", Rich() with { TimeBucket = "15m" } },
        { "function order", Rich() with { Functions = ["p99", "avg"] } },
        { "functions", Rich() with { Functions = ["avg", "p95"], OrderBy = [new OrderSpec { Field = "p95" }] } },
        { "filter value", Rich() with { Filters = [Filter("source_module", "eq", "llm-sentinel"), Filter("model", "in", "gpt-4o", "claude-3")] } },
        { "filter operator", Rich() with { Filters = [Filter("source_module", "neq", "llm-observatory"), Filter("model", "in", "gpt-4o", "claude-3")] } },
        { "filter field kind", Rich() with { Filters = [Filter("source_module", "eq", "llm-observatory"), Filter("payload.dimensions.model", "in", "gpt-4o", "claude-3")] } },
        { "fewer filters", Rich() with { Filters = [Filter("source_module", "eq", "llm-observatory")] } },
        { "group_by order", Rich() with { GroupBy = ["region", "model"] } },
        { "order direction", Rich() with { OrderBy = [new OrderSpec { Field = "p99", Direction = "asc" }] } },
        { "no order", Rich() with { OrderBy = [] } },
        { "limit", Rich() with { Limit = 11 } },
        { "composite", Rich() with { Composite = "cost_per_request", Functions = [], OrderBy = [] } },
    };

    [Theory]
    [MemberData(nameof(Different))]
    public void Key_DifferentQueries_Differ(string because, QuerySpec spec)
    {
        Assert.False(Key(Rich()) == Key(spec), because);
    }

    [Fact]
    public void Key_ValuesCannotForgeSeparators()
    {
        var a = Key(Spec() with { Filters = [Filter("tags.a", "eq", "x\",\"y")] });
        var b = Key(Spec() with { Filters = [Filter("tags.a", "in", "x", "y")] });

        Assert.NotEqual(a, b);
    }
}
