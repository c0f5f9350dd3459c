using AnalyticsHub.Core.Query;
using static AnalyticsHub.Core.Tests.Query.QueryTesting;

namespace AnalyticsHub.Core.Tests.Query;

public sealed class QueryFilterTests
{
    private static MetricQuery WithFilters(params FilterSpec[] filters) => Valid(Spec() with { Filters = filters });

    private static QueryError FilterError(params FilterSpec[] filters) => Error(Spec() with { Filters = filters });

    [Theory]
    [InlineData("eq", FilterOperator.Eq)]
    [InlineData("neq", FilterOperator.Neq)]
    [InlineData("gt", FilterOperator.Gt)]
    [InlineData("gte", FilterOperator.Gte)]
    [InlineData("lt", FilterOperator.Lt)]
    [InlineData("lte", FilterOperator.Lte)]
    [InlineData("contains", FilterOperator.Contains)]
    [InlineData("EQ", FilterOperator.Eq)]
    [InlineData(" Contains ", FilterOperator.Contains)]
    public void SingleValueOperators_TakeOneValue(string op, FilterOperator expected)
    {
        var filter = Assert.Single(WithFilters(Filter("environment", op, "prod")).Filters);

        Assert.Equal(expected, filter.Operator);
        Assert.Equal("prod", filter.Value);
        Assert.Equal(FieldKind.Environment, filter.Field.Kind);
    }

    [Fact]
    public void In_TakesSeveralValues_SortedAndDistinct()
    {
        var filter = Assert.Single(WithFilters(Filter("model", "in", "gpt-4o", "claude-3", "gpt-4o")).Filters);

        Assert.Equal(FilterOperator.In, filter.Operator);
        Assert.Equal(["claude-3", "gpt-4o"], filter.Values);
    }

    [Fact]
    public void In_TakesOneValue()
    {
        Assert.Equal(["a"], Assert.Single(WithFilters(Filter("model", "in", "a")).Filters).Values);
    }

    [Theory]
    [InlineData("eq")]
    [InlineData("neq")]
    [InlineData("gt")]
    [InlineData("gte")]
    [InlineData("lt")]
    [InlineData("lte")]
    [InlineData("contains")]
    public void SingleValueOperator_WithoutValue_SaysGiveValue(string op)
    {
        var error = FilterError(Filter("environment", op));

        Assert.Equal("filters[0].values", error.Field);
        Assert.Equal($"{op} needs one value; give value", error.Message);
    }

    [Theory]
    [InlineData("eq")]
    [InlineData("neq")]
    [InlineData("gt")]
    [InlineData("gte")]
    [InlineData("lt")]
    [InlineData("lte")]
    [InlineData("contains")]
    public void SingleValueOperator_WithTwoValues_SaysUseIn(string op)
    {
        var error = FilterError(Filter("environment", op, "a", "b"));

        Assert.Equal("filters[0].values", error.Field);
        Assert.Contains("takes exactly one value, found 2; use in", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void In_WithoutValues_IsAnError()
    {
        var error = FilterError(Filter("model", "in"));

        Assert.Equal("filters[0].values", error.Field);
        Assert.Contains("in needs at least one value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void In_AboveMaxInValues_IsAnError()
    {
        var values = Enumerable.Range(0, 1001).Select(i => $"m{i}").ToArray();

        var error = FilterError(Filter("model", "in", values));

        Assert.Contains("at most 1,000 values, found 1,001", error.Message, StringComparison.Ordinal);
        Assert.Single(WithFilters(Filter("model", "in", values[..1000])).Filters);
    }

    [Theory]
    [InlineData("like")]
    [InlineData("=")]
    [InlineData("ne")]
    public void UnknownOperator_ListsTheOperators(string op)
    {
        var error = FilterError(Filter("model", op, "x"));

        Assert.Equal("filters[0].op", error.Field);
        Assert.Contains("use one of eq, neq, in, gt, gte, lt, lte, contains", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingOperator_IsAnError()
    {
        var error = FilterError(new FilterSpec { Field = "model", Values = ["x"] });

        Assert.Equal("filters[0].op", error.Field);
        Assert.Contains("an operator is required", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("source_module", "LLM_OBSERVATORY", "llm-observatory")]
    [InlineData("source_module", "policy-engine", "llm-policy-engine")]
    [InlineData("source_module", "LlmCostOps", "llm-costops")]
    [InlineData("event_type", "TELEMETRY", "telemetry")]
    [InlineData("event_type", "Cost", "cost")]
    [InlineData("severity", "WARN", "warning")]
    [InlineData("severity", "fatal", "critical")]
    [InlineData("severity", "high", "error")]
    public void EnumValues_AreCanonicalized(string field, string value, string canonical)
    {
        Assert.Equal([canonical], Assert.Single(WithFilters(Filter(field, "eq", value)).Filters).Values);
    }

    [Theory]
    [InlineData("source_module", "sentinel", "observer", "is not a valid source module; use one of llm-observatory, llm-sentinel")]
    [InlineData("event_type", "cost", "metrics", "is not a valid event type; use one of telemetry, security, cost")]
    [InlineData("severity", "error", "loud", "is not a valid severity; use one of debug, info, warning, error, critical")]
    [InlineData("severity", "error", "", "is not a valid severity")]
    public void EnumValues_Unknown_ListTheNames(string field, string valid, string value, string message)
    {
        var error = FilterError(Filter(field, "in", valid, value));

        Assert.Equal("filters[0].values[1]", error.Field);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gt")]
    [InlineData("gte")]
    [InlineData("lt")]
    [InlineData("lte")]
    public void OrderingOperators_OnSeverity_Apply(string op)
    {
        Assert.Equal(["warning"], Assert.Single(WithFilters(Filter("severity", op, "warning")).Filters).Values);
    }

    [Theory]
    [InlineData("source_module", "gt")]
    [InlineData("event_type", "lte")]
    public void OrderingOperators_OnUnorderedEnums_AreRefused(string field, string op)
    {
        var error = FilterError(Filter(field, op, "telemetry"));

        Assert.Equal("filters[0].op", error.Field);
        Assert.Contains("has no order", error.Message, StringComparison.Ordinal);
        Assert.Contains("use eq, neq or in", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("source_module")]
    [InlineData("event_type")]
    [InlineData("severity")]
    public void Contains_OnEnumFields_IsRefused(string field)
    {
        var error = FilterError(Filter(field, "contains", "err"));

        Assert.Equal("filters[0].op", error.Field);
        Assert.Contains("contains works on text fields", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("environment")]
    [InlineData("asset_id")]
    [InlineData("model")]
    [InlineData("tags.user_tier")]
    [InlineData("payload.metric_name")]
    [InlineData("payload.dimensions.route")]
    [InlineData("event_id")]
    [InlineData("correlation_id")]
    [InlineData("parent_event_id")]
    public void Contains_OnTextFields_Applies(string field)
    {
        Assert.Equal(FilterOperator.Contains, Assert.Single(WithFilters(Filter(field, "contains", "x")).Filters).Operator);
    }

    [Theory]
    [InlineData("100", true, 100.0)]
    [InlineData("-2.5e3", true, -2500.0)]
    [InlineData("0.001", true, 0.001)]
    [InlineData("1,5", false, 0.0)]
    [InlineData("NaN", false, 0.0)]
    [InlineData("Infinity", false, 0.0)]
    [InlineData("1e999", false, 0.0)]
    [InlineData("v1.2", false, 0.0)]
    public void TryParseNumber_FiniteInvariantDoublesOnly(string text, bool numeric, double expected)
    {
        Assert.Equal(numeric, QueryFilter.TryParseNumber(text, out var number));
        if (numeric)
        {
            Assert.Equal(expected, number);
        }
    }

    [Fact]
    public void ValuesAreKeptVerbatim_ForTextFields()
    {
        var filter = Assert.Single(WithFilters(Filter("tags.path", "eq", " /a b ")).Filters);

        Assert.Equal(" /a b ", filter.Value);
    }

    [Fact]
    public void ValueOver4KiB_IsRefused()
    {
        var error = FilterError(Filter("environment", "eq", new string('é', 2049)));

        Assert.Equal("filters[0].values[0]", error.Field);
        Assert.Contains("4,098 bytes; values are at most 4,096 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MoreThan32Filters_IsRefused()
    {
        var filters = Enumerable.Range(0, 33).Select(i => Filter($"tags.k{i}", "eq", "v")).ToArray();

        var error = FilterError(filters);

        Assert.Equal("filters", error.Field);
        Assert.Contains("33 filters given; at most 32", error.Message, StringComparison.Ordinal);
        Assert.Equal(32, WithFilters(filters[..32]).Filters.Count);
    }

    [Fact]
    public void Filters_AreSortedAndExactDuplicatesDropped()
    {
        var query = WithFilters(
            Filter("severity", "gte", "warn"),
            Filter("model", "eq", "b"),
            Filter("model", "eq", "a"),
            Filter("severity", "gte", "warning"));

        Assert.Equal(
            ["model eq a", "model eq b", "severity gte warning"],
            query.Filters.Select(f => $"{f.Field.Name} {f.Operator.ToString().ToLowerInvariant()} {string.Join("|", f.Values)}"));
    }

    [Fact]
    public void InvalidField_IsReportedAtFieldPath_AlongWithOtherFilters()
    {
        var result = Validate(Spec() with { Filters = [Filter("bogus", "eq", "x"), Filter("model", "between", "a")] });

        Assert.Equal(["filters[0].field", "filters[1].op"], result.Errors.Select(e => e.Field));
    }

    [Fact]
    public void RollupAnswerable_OnlyWithSeriesDimensionFilters()
    {
        Assert.True(WithFilters(Filter("model", "eq", "a"), Filter("severity", "gte", "error")).IsRollupAnswerable);
        Assert.False(WithFilters(Filter("model", "eq", "a"), Filter("tags.user_tier", "eq", "pro")).IsRollupAnswerable);
    }
}
