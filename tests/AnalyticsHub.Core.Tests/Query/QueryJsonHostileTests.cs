using System.Text;
using AnalyticsHub.Core.Query;
using static AnalyticsHub.Core.Tests.Query.QueryTesting;

namespace AnalyticsHub.Core.Tests.Query;

public sealed class QueryJsonHostileTests
{
    [Theory]
    [InlineData("""{"metric": "m", "metrc": "x"}""", "metrc", "at the top level: tenant_id, metric, composite, time_range, filters, aggregation, order_by, limit")]
    [InlineData("""{"time_range": {"start": "a", "stop": "b"}}""", "time_range.stop", "in time_range: start, end, relative")]
    [InlineData("""{"filters": [{"field": "model", "op": "eq", "valeu": "x"}]}""", "filters[0].valeu", "in filters[0]: field, op, value, values")]
    [InlineData("""{"filters": [{}, {"field": "model", "operator": "eq"}]}""", "filters[1].operator", "in filters[1]: field, op, value, values")]
    [InlineData("""{"aggregation": {"functions": ["avg"], "bucket": "1h"}}""", "aggregation.bucket", "in aggregation: functions, function, time_bucket, interval, group_by")]
    [InlineData("""{"order_by": [{"field": "p99", "dir": "desc"}]}""", "order_by[0].dir", "in order_by[0]: field, direction")]
    public void Parse_UnknownProperty_NamesPathAndAllowed(string json, string path, string allowed)
    {
        var error = JsonError(json);

        Assert.Equal(path, error.Field);
        Assert.Contains($"unknown property '{path}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(allowed, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PropertyNamesAreCaseSensitive()
    {
        var error = JsonError("""{"Metric": "m"}""");

        Assert.Equal("Metric", error.Field);
    }

    [Theory]
    [InlineData("""{"metric": "a", "metric": "b"}""", "metric")]
    [InlineData("""{"time_range": {"start": "a", "start": "b"}}""", "time_range.start")]
    [InlineData("""{"filters": [{"field": "a", "field": "b", "field": "c"}]}""", "filters[0].field")]
    [InlineData("""{"aggregation": {"group_by": [], "group_by": []}}""", "aggregation.group_by")]
    [InlineData("""{"order_by": [{"direction": "asc", "direction": "desc"}]}""", "order_by[0].direction")]
    public void Parse_DuplicateProperty_IsOneErrorAtItsPath(string json, string path)
    {
        var error = JsonError(json);

        Assert.Equal(path, error.Field);
        Assert.Contains("give it once", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateProperty_ReadsNeitherValue()
    {
        var result = ParseJson("""{"metric": "a", "metric": "b", "limit": "x"}""");

        Assert.Equal(["metric", "limit"], result.Errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData(8, true)]
    [InlineData(9, false)]
    [InlineData(100_000, false)]
    public void Parse_Nesting_IsLimitedTo8(int depth, bool withinLimit)
    {
        var json = new StringBuilder().Append('[', depth).Append(']', depth).ToString();

        var error = JsonError(json);

        // Within the limit the only complaint is the shape (an array, not an object).
        Assert.Equal(withinLimit, error.Message.Contains("must be a JSON object", StringComparison.Ordinal));
        Assert.Equal(!withinLimit, error.Message.Contains("deeper than 8 levels", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_DeepNestingInsideAProperty_IsRefused()
    {
        var json = """{"filters": [{"values": [[[[[[["x"]]]]]]]}]}""";

        var error = JsonError(json);

        Assert.Equal("", error.Field);
        Assert.Contains("deeper than 8 levels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_StringOver4KiB_IsRefused()
    {
        var error = JsonError($$"""{"metric": "{{new string('m', 4097)}}"}""");

        Assert.Contains("4,097 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("4,096-byte limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_StringOf4KiB_IsAccepted()
    {
        var spec = ParsedJson($$"""{"metric": "{{new string('m', 4096)}}"}""");

        Assert.Equal(4096, spec.Metric!.Length);
    }

    [Fact]
    public void Parse_HugePropertyName_IsRefused()
    {
        var error = JsonError($$"""{"{{new string('k', 10_000)}}": 1}""");

        Assert.Contains("4,096-byte limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ArrayOver1000Items_IsRefused()
    {
        var values = string.Join(",", Enumerable.Range(0, 1001).Select(i => $"\"v{i}\""));

        var error = JsonError($$"""{"filters": [{"field": "model", "op": "in", "values": [{{values}}]}]}""");

        Assert.Contains("more than 1,000 items", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ArrayOf1000Items_IsAccepted()
    {
        var values = string.Join(",", Enumerable.Range(0, 1000).Select(i => $"\"v{i}\""));

        var spec = ParsedJson($$"""{"filters": [{"field": "model", "op": "in", "values": [{{values}}]}]}""");

        Assert.Equal(1000, spec.Filters[0].Values.Count);
    }

    [Fact]
    public void Parse_ArrayOfObjectsOver1000_IsRefused()
    {
        var filters = string.Join(",", Enumerable.Repeat("{}", 1001));

        Assert.Contains("more than 1,000 items", JsonError($$"""{"filters": [{{filters}}]}""").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HugeNumber_IsRefused()
    {
        var error = JsonError($$"""{"limit": 1{{new string('0', 400)}}}""");

        Assert.Contains("too long", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BodyOver1MiB_IsRefused()
    {
        var body = new byte[QueryJson.MaxBodyBytes + 1];
        body.AsSpan().Fill((byte)' ');

        var error = Assert.Single(QueryJson.Parse(body).Errors);

        Assert.Contains("1,048,577 bytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \r\n")]
    public void Parse_EmptyBody_SaysSendAnObject(string json)
    {
        var error = JsonError(json);

        Assert.Contains("the body is empty", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("metric=latency_ms")]
    [InlineData("<query/>")]
    [InlineData("{metric: \"m\"}")]
    [InlineData("{'metric': 'm'}")]
    [InlineData("{\"metric\": \"m\",}")]
    [InlineData("{\"metric\": \"m\"} {}")]
    [InlineData("{\"metric\": \"m\" /* c */}")]
    [InlineData("{\"limit\": NaN}")]
    [InlineData("{\"limit\": 01}")]
    public void Parse_NotJson_SaysWhereItBroke(string json)
    {
        var error = JsonError(json);

        Assert.Equal("", error.Field);
        Assert.StartsWith("the body is not valid JSON: ", error.Message, StringComparison.Ordinal);
        Assert.Matches(@"\(line \d+, byte \d+\)$", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { (byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}' })]
    [InlineData(new byte[] { (byte)'{', (byte)'"', (byte)'m', (byte)'"', (byte)':', (byte)'"', 0xFF, (byte)'"', (byte)'}' })]
    public void Parse_InvalidUtf8_IsNotValidJson(byte[] body)
    {
        var error = Assert.Single(QueryJson.Parse(body).Errors);

        Assert.StartsWith("the body is not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"metric": "\ud800"}""")]
    [InlineData("""{"\udc00": 1}""")]
    public void Parse_EscapedLoneSurrogate_IsNotValidJson(string json)
    {
        Assert.Contains("lone surrogate", JsonError(json).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EveryTruncationOfAValidBody_ReturnsErrorsWithoutThrowing()
    {
        var body = Encoding.UTF8.GetBytes("""
            {"metric": "latency_ms", "time_range": {"start": "2026-11-23T00:00:00Z", "end": 1795478400000000000},
             "filters": [{"field": "model", "op": "in", "values": ["a", 1.5]}],
             "aggregation": {"functions": ["avg"], "time_bucket": "1h", "group_by": ["model"]},
             "order_by": [{"field": "avg", "direction": "desc"}], "limit": 10}
            """);
        Assert.True(QueryJson.Parse(body).IsValid);

        var end = Array.LastIndexOf(body, (byte)'}');
        for (var length = 0; length < end; length++)
        {
            var result = QueryJson.Parse(body.AsMemory(0, length));

            Assert.False(result.IsValid, $"truncated at {length} should not parse");
            Assert.NotEmpty(result.Errors);
        }
    }

    [Theory]
    [InlineData("[]", "an array")]
    [InlineData("\"last 24h\"", "the string 'last 24h'")]
    [InlineData("42", "the number '42'")]
    [InlineData("null", "null")]
    [InlineData("true", "true")]
    public void Parse_RootNotAnObject_SaysWhatWasFound(string json, string found)
    {
        var error = JsonError(json);

        Assert.Contains("must be a JSON object", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("found " + found, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"tenant_id": 5}""", "tenant_id", "must be a string; found the number '5'")]
    [InlineData("""{"metric": ["m"]}""", "metric", "must be a string; found an array")]
    [InlineData("""{"composite": {}}""", "composite", "must be a string; found an object")]
    [InlineData("""{"time_range": 86400}""", "time_range", "time_range must be an object")]
    [InlineData("""{"time_range": {"start": true}}""", "time_range.start", "found true")]
    [InlineData("""{"time_range": {"relative": 24}}""", "time_range.relative", "must be a string")]
    [InlineData("""{"filters": {"field": "model"}}""", "filters", "must be an array")]
    [InlineData("""{"filters": ["model=gpt"]}""", "filters[0]", "a filter must be an object")]
    [InlineData("""{"filters": [{"field": 1}]}""", "filters[0].field", "must be a string")]
    [InlineData("""{"filters": [{"op": null, "field": "m", "value": true}]}""", "filters[0].value", "a string or a number; found true")]
    [InlineData("""{"filters": [{"values": "a"}]}""", "filters[0].values", "must be an array")]
    [InlineData("""{"filters": [{"values": [["a"]]}]}""", "filters[0].values[0]", "a string or a number; found an array")]
    [InlineData("""{"aggregation": ["avg"]}""", "aggregation", "aggregation must be an object")]
    [InlineData("""{"aggregation": {"functions": "avg"}}""", "aggregation.functions", "must be an array")]
    [InlineData("""{"aggregation": {"functions": ["avg", 5]}}""", "aggregation.functions[1]", "must be a string")]
    [InlineData("""{"aggregation": {"group_by": "model"}}""", "aggregation.group_by", "must be an array")]
    [InlineData("""{"aggregation": {"time_bucket": 60}}""", "aggregation.time_bucket", "must be a string")]
    [InlineData("""{"order_by": {"field": "p99"}}""", "order_by", "must be an array")]
    [InlineData("""{"order_by": ["p99"]}""", "order_by[0]", "an order_by entry must be an object")]
    [InlineData("""{"order_by": [{"direction": false}]}""", "order_by[0].direction", "must be a string")]
    [InlineData("""{"limit": 10.5}""", "limit", "must be a whole number")]
    [InlineData("""{"limit": 1e30}""", "limit", "must be a whole number")]
    [InlineData("""{"limit": [10]}""", "limit", "must be a whole number; found an array")]
    public void Parse_WrongType_NamesPathAndFound(string json, string path, string message)
    {
        var error = JsonError(json);

        Assert.Equal(path, error.Field);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NumberAsString_ForLimit_SaysDropTheQuotes()
    {
        var error = JsonError("""{"limit": "10"}""");

        Assert.Equal("limit", error.Field);
        Assert.Contains("must be a number, not a string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsAll()
    {
        var result = ParseJson("""{"metric": 1, "limit": "x", "bogus": 0, "filters": [{"field": 2, "op": 3}], "aggregation": {"functions": [1, 2]}}""");

        Assert.Equal(
            ["aggregation.functions[0]", "aggregation.functions[1]", "bogus", "filters[0].field", "filters[0].op", "limit", "metric"],
            result.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));
    }
}
