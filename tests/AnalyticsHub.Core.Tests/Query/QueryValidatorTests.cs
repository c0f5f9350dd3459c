using AnalyticsHub.Core.Query;
using static AnalyticsHub.Core.Tests.Query.QueryTesting;

namespace AnalyticsHub.Core.Tests.Query;

public sealed class QueryValidatorTests
{
    [Fact]
    public void MinimalQuery_GetsDefaults()
    {
        var query = Valid(Spec());

        Assert.Equal("default", query.TenantId);
        Assert.Equal("latency_ms", query.Metric);
        Assert.Equal(CompositeMetric.None, query.Composite);
        Assert.Equal(0, query.BucketSeconds);
        Assert.Empty(query.Filters);
        Assert.Empty(query.GroupBy);
        Assert.Empty(query.OrderBy);
        Assert.Equal(100, query.Limit);
        Assert.True(query.IsRollupAnswerable);
    }

    [Theory]
    [InlineData("acme")]
    [InlineData("Team_1.prod-eu")]
    [InlineData("a")]
    public void Tenant_Valid_IsKept(string tenant)
    {
        Assert.Equal(tenant, Valid(Spec() with { TenantId = tenant }).TenantId);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void Tenant_Absent_IsDefault(string? tenant)
    {
        Assert.Equal("default", Valid(Spec() with { TenantId = tenant }).TenantId);
    }

    [Theory]
    [InlineData("acme corp")]
    [InlineData("acme/prod")]
    [InlineData("tenant*")]
    [InlineData("ténant")]
    public void Tenant_BadCharacters_AreRefused(string tenant)
    {
        var error = Error(Spec() with { TenantId = tenant });

        Assert.Equal("tenant_id", error.Field);
        Assert.Contains("use 1–128 characters of A–Z, a–z, 0–9, '.', '_' and '-'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tenant_Of128_IsAccepted_129_IsNot()
    {
        Valid(Spec() with { TenantId = new string('t', 128) });

        Assert.Equal("tenant_id", Error(Spec() with { TenantId = new string('t', 129) }).Field);
    }

    [Fact]
    public void Metric_Missing_WithoutComposite_IsRequired()
    {
        var error = Error(Spec() with { Metric = null });

        Assert.Equal("metric", error.Field);
        Assert.Contains("metric is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("cost_per_request, error_adjusted_throughput, cost_per_1k_tokens", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metric_Of256_IsAccepted_257_OrControlChars_AreNot()
    {
        Valid(Spec() with { Metric = new string('m', 256) });

        Assert.Contains("1–256 characters", Error(Spec() with { Metric = new string('m', 257) }).Message, StringComparison.Ordinal);
        Assert.Equal("metric", Error(Spec() with { Metric = "lat\nency" }).Field);
    }

    [Theory]
    [InlineData("cost_per_request", CompositeMetric.CostPerRequest)]
    [InlineData("error_adjusted_throughput", CompositeMetric.ErrorAdjustedThroughput)]
    [InlineData("cost_per_1k_tokens", CompositeMetric.CostPer1kTokens)]
    [InlineData("COST_PER_REQUEST", CompositeMetric.CostPerRequest)]
    public void Composite_Alone_HasNoMetricAndNoFunctions(string name, CompositeMetric composite)
    {
        var query = Valid(Spec() with { Metric = null, Composite = name, Functions = [] });

        Assert.Equal(composite, query.Composite);
        Assert.Null(query.Metric);
        Assert.Empty(query.Functions);
    }

    [Fact]
    public void Composite_WithMetric_IsRestrictedToIt()
    {
        var query = Valid(Spec() with { Metric = "gpt-4o-input", Composite = "cost_per_1k_tokens", Functions = [] });

        Assert.Equal("gpt-4o-input", query.Metric);
        Assert.Equal(CompositeMetric.CostPer1kTokens, query.Composite);
    }

    [Fact]
    public void Composite_WithFunctions_IsRefused()
    {
        var error = Error(Spec() with { Composite = "cost_per_request" });

        Assert.Equal("aggregation.functions", error.Field);
        Assert.Contains("remove aggregation.functions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Composite_Unknown_ListsTheComposites()
    {
        var error = Error(Spec() with { Metric = null, Composite = "cost_per_token", Functions = [] });

        Assert.Equal("composite", error.Field);
        Assert.Contains("use one of cost_per_request, error_adjusted_throughput, cost_per_1k_tokens", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("count", AggregateFunction.Count)]
    [InlineData("sum", AggregateFunction.Sum)]
    [InlineData("avg", AggregateFunction.Avg)]
    [InlineData("min", AggregateFunction.Min)]
    [InlineData("max", AggregateFunction.Max)]
    [InlineData("stddev", AggregateFunction.StdDev)]
    [InlineData("p50", AggregateFunction.P50)]
    [InlineData("p90", AggregateFunction.P90)]
    [InlineData("p95", AggregateFunction.P95)]
    [InlineData("p99", AggregateFunction.P99)]
    [InlineData("rate", AggregateFunction.Rate)]
    [InlineData("StdDev", AggregateFunction.StdDev)]
    [InlineData("P99", AggregateFunction.P99)]
    public void Functions_EachName_Resolves(string name, AggregateFunction function)
    {
        Assert.Equal([function], Valid(Spec() with { Functions = [name] }).Functions);
    }

    [Fact]
    public void Functions_KeepTheOrderAsked()
    {
        var query = Valid(Spec() with { Functions = ["p99", "count", "avg"] });

        Assert.Equal([AggregateFunction.P99, AggregateFunction.Count, AggregateFunction.Avg], query.Functions);
    }

    [Fact]
    public void Functions_Missing_AreRequired()
    {
        var error = Error(Spec() with { Functions = [] });

        Assert.Equal("aggregation.functions", error.Field);
        Assert.StartsWith("aggregation.functions is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("count, sum, avg, min, max, stddev, p50, p90, p95, p99, rate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Functions_Duplicate_IsRefused()
    {
        var error = Error(Spec() with { Functions = ["avg", "p99", "AVG"] });

        Assert.Equal("aggregation.functions[2]", error.Field);
        Assert.Contains("avg is asked for twice", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mean")]
    [InlineData("p999")]
    [InlineData("")]
    public void Functions_Unknown_ListsTheFunctions(string name)
    {
        var error = Error(Spec() with { Functions = ["avg", name] });

        Assert.Equal("aggregation.functions[1]", error.Field);
        Assert.Contains("is not a function; use one of count, sum", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GroupBy_ResolvesFieldsInOrder()
    {
        var query = Valid(Spec() with { GroupBy = ["tags.model", "severity", "tags.user_tier", "payload.attribution.team"] });

        Assert.Equal(["model", "severity", "tags.user_tier", "payload.dimensions.team"], query.GroupBy.Select(g => g.Name));
        Assert.False(query.IsRollupAnswerable);
    }

    [Fact]
    public void GroupBy_SeriesDimensionsOnly_IsRollupAnswerable()
    {
        Assert.True(Valid(Spec() with { GroupBy = ["model", "region", "source_module", "tier"] }).IsRollupAnswerable);
    }

    [Fact]
    public void GroupBy_MoreThan4_IsRefused()
    {
        var error = Error(Spec() with { GroupBy = ["model", "region", "service", "version", "tier"] });

        Assert.Equal("aggregation.group_by", error.Field);
        Assert.Contains("5 group_by fields given; at most 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GroupBy_DuplicateBySpelling_IsRefused()
    {
        var error = Error(Spec() with { GroupBy = ["model", "tags.model"] });

        Assert.Equal("aggregation.group_by[1]", error.Field);
        Assert.Contains("model is already in group_by", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GroupBy_EventId_PointsToEventSearch()
    {
        var error = Error(Spec() with { GroupBy = ["event_id"] });

        Assert.Equal("aggregation.group_by[0]", error.Field);
        Assert.Contains("one group per event; search events instead (GET /api/v1/events", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("correlation_id")]
    [InlineData("parent_event_id")]
    [InlineData("payload.metric_name")]
    public void GroupBy_OtherPerEventFields_AreAllowed(string field)
    {
        Assert.Single(Valid(Spec() with { GroupBy = [field] }).GroupBy);
    }

    [Fact]
    public void GroupBy_UnknownAndTenant_AreRefused()
    {
        var result = Validate(Spec() with { GroupBy = ["user", "tenant_id"] });

        Assert.Equal(["aggregation.group_by[0]", "aggregation.group_by[1]"], result.Errors.Select(e => e.Field));
        Assert.Contains("unknown field 'user'", result.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("set the top-level tenant_id", result.Errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OrderBy_FunctionDefaultsToDescending_FieldToAscending()
    {
        var query = Valid(Spec() with
        {
            Functions = ["avg", "p99"],
            GroupBy = ["model"],
            OrderBy = [new OrderSpec { Field = "P99" }, new OrderSpec { Field = "tags.model" }],
        });

        Assert.Equal(new QueryOrder(AggregateFunction.P99, null, true), query.OrderBy[0]);
        Assert.Equal(new QueryOrder(null, new QueryField(FieldKind.SeriesTag, "model", "model"), false), query.OrderBy[1]);
        Assert.False(query.OrderBy[0].ByValue);
    }

    [Theory]
    [InlineData("asc", false)]
    [InlineData("DESC", true)]
    [InlineData("ascending", false)]
    [InlineData("descending", true)]
    public void OrderBy_Direction_IsExplicit(string direction, bool descending)
    {
        var query = Valid(Spec() with { GroupBy = ["model"], OrderBy = [new OrderSpec { Field = "avg", Direction = direction }, new OrderSpec { Field = "model", Direction = direction }] });

        Assert.All(query.OrderBy, o => Assert.Equal(descending, o.Descending));
    }

    [Fact]
    public void OrderBy_CompositeName_OrdersByValue()
    {
        var query = Valid(Spec() with { Metric = null, Composite = "cost_per_request", Functions = [], GroupBy = ["model"], OrderBy = [new OrderSpec { Field = "cost_per_request" }] });

        var order = Assert.Single(query.OrderBy);
        Assert.True(order.ByValue);
        Assert.True(order.Descending);
    }

    [Fact]
    public void OrderBy_FunctionNotRequested_SaysAddIt()
    {
        var error = Error(Spec() with { Functions = ["avg"], GroupBy = ["model"], OrderBy = [new OrderSpec { Field = "p95" }] });

        Assert.Equal("order_by[0].field", error.Field);
        Assert.Equal("p95 is not a requested function; add it to aggregation.functions or order by one of avg, model", error.Message);
    }

    [Fact]
    public void OrderBy_FieldNotGrouped_SaysWhatCanBeOrdered()
    {
        var error = Error(Spec() with { Functions = ["avg"], GroupBy = ["model"], OrderBy = [new OrderSpec { Field = "region" }] });

        Assert.Equal("order_by[0].field", error.Field);
        Assert.Equal("'region' is neither a requested function nor a group_by field; order by one of avg, model", error.Message);
    }

    [Fact]
    public void OrderBy_FunctionInCompositeQuery_IsRefused()
    {
        var error = Error(Spec() with { Metric = null, Composite = "cost_per_request", Functions = [], OrderBy = [new OrderSpec { Field = "avg" }] });

        Assert.Contains("a composite query has no functions to order by; order by one of cost_per_request", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OrderBy_CompositeNameWithoutComposite_IsRefused()
    {
        Assert.Equal("order_by[0].field", Error(Spec() with { OrderBy = [new OrderSpec { Field = "cost_per_request" }] }).Field);
    }

    [Fact]
    public void OrderBy_BadDirection_EmptyField_AndDuplicates_AreRefused()
    {
        var result = Validate(Spec() with
        {
            OrderBy = [new OrderSpec { Field = "avg", Direction = "up" }, new OrderSpec { Field = "" }, new OrderSpec { Field = "avg" }, new OrderSpec { Field = "AVG" }],
        });

        Assert.Equal(["order_by[0].direction", "order_by[1].field", "order_by[3].field"], result.Errors.Select(e => e.Field));
        Assert.Contains("is not asc or desc; use asc or desc", result.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("is already in order_by", result.Errors[2].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(1, 1)]
    [InlineData(10_000, 10_000)]
    public void Limit_ZeroIsDefault_UpToMax(long limit, int expected)
    {
        Assert.Equal(expected, Valid(Spec() with { Limit = limit }).Limit);
    }

    [Fact]
    public void Limit_ConfiguredDefaultAndMax_Apply()
    {
        var limits = QueryLimits.Default with { DefaultLimit = 7, MaxLimit = 50 };

        Assert.Equal(7, Valid(Spec(), limits).Limit);
        Assert.Contains("above the 50 maximum", Error(Spec() with { Limit = 51 }, limits).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1, "limit -1 is negative; use 1–10,000 (0 or absent: 100)")]
    [InlineData(10_001, "limit 10,001 is above the 10,000 maximum; use 1–10,000")]
    [InlineData(long.MaxValue, "is above the 10,000 maximum")]
    public void Limit_OutOfRange_IsRefused(long limit, string message)
    {
        var error = Error(Spec() with { Limit = limit });

        Assert.Equal("limit", error.Field);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryProblem_IsReported_WithItsPath()
    {
        var result = Validate(new QuerySpec
        {
            TenantId = "bad tenant",
            Composite = "nope",
            TimeRange = new TimeRangeSpec { Relative = "forever" },
            Functions = ["avg"],
            TimeBucket = "2m",
            Filters = [Filter("severity", "contains", "x")],
            GroupBy = ["event_id"],
            OrderBy = [new OrderSpec { Field = "zzz" }],
            Limit = -5,
        });

        Assert.False(result.IsValid);
        Assert.Null(result.Value);
        Assert.Equal(
            ["aggregation.group_by[0]", "aggregation.time_bucket", "composite", "filters[0].op", "limit", "order_by[0].field", "tenant_id", "time_range.relative"],
            result.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Validate_DoesNotThrow_OnNullListItems()
    {
        var result = Validate(Spec() with { Functions = [null!], GroupBy = [null!], Filters = [new FilterSpec { Field = "model", Op = "in", Values = [null!] }] });

        Assert.Equal(["aggregation.functions[0]", "aggregation.group_by[0]"], result.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
    }
}
