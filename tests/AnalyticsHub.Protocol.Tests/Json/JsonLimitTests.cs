using System.Text;
using AnalyticsHub.Protocol.Json;
using static AnalyticsHub.Protocol.Tests.Json.JsonTranscoderHarness;

namespace AnalyticsHub.Protocol.Tests.Json;

public sealed class JsonLimitTests
{
    private static string EventsArray(int count) =>
        "[" + string.Join(",", Enumerable.Range(0, count).Select(i => $$$"""{"event_id":"0f8fad5b-d9cb-469f-a165-7086772{{{i:D5}}}","event_type":"telemetry","payload":{"metric_name":"m","metric_value":{{{i}}}}}""")) + "]";

    [Fact]
    public void MaxEvents_Exactly_IsAccepted()
    {
        var batch = Parse(EventsArray(1000));

        Assert.Equal(1000, batch.Events.Count);
        Assert.Equal(999, batch.Events[999].Telemetry.MetricValue);
    }

    [Theory]
    [MemberData(nameof(Segments.AllLayouts), MemberType = typeof(Segments))]
    public void MaxEvents_PlusOne_IsTooManyEvents(Layout layout)
    {
        var (result, bytes) = Run(Encoding.UTF8.GetBytes(EventsArray(1001)), layout);

        Assert.True(result.TooManyEvents);
        Assert.False(result.Success);
        Assert.Empty(bytes);
        Assert.Equal(1001, result.EventCount);
    }

    [Fact]
    public void TooManyEvents_StopsReading_BeforeMalformedTail()
    {
        var json = Encoding.UTF8.GetBytes("""{"events":[{},{},{}, this is not json""");
        var (result, _) = Run(json, Layout.Contiguous, new JsonTranscodeOptions { MaxEvents = 2 });

        Assert.True(result.TooManyEvents);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void DeepNesting_BeyondMaxDepth_IsAnErrorWithAPath()
    {
        var deep = new string('[', 40) + new string(']', 40);
        SingleError($$$"""[{"event_id":"a"},{"unknown":{{{deep}}}}]""", "events[1].unknown", "deeper than 16 levels");
        SingleError($$$"""{"custom":{"json":{{{deep}}}}}""", "events[0].custom.json", "deeper than 16 levels");

        // A value of the wrong type that is also too deep: both are said, the depth error last.
        var tags = Errors($$$"""{"tags":{"a":{{{deep}}}}}""");
        Assert.Equal(["events[0].tags.a", "events[0].tags.a"], tags.Select(e => e.Path));
        Assert.Contains("deeper than 16 levels", tags[^1].Message);

        var root = Errors(new string('[', 100_000) + new string(']', 100_000));
        Assert.Equal(("events[0]", "JSON nests deeper than 16 levels"), (root[^1].Path, root[^1].Message));
    }

    [Fact]
    public void Nesting_UpToMaxDepth_IsAccepted()
    {
        // body (1) > events (2) > event (3) > custom (4) > json: 12 more levels = 16.
        var json = $$$"""{"events":[{"custom":{"json":{{{new string('[', 12)}}}{{{new string(']', 12)}}}}}]}""";
        Assert.Equal(new string('[', 12) + new string(']', 12), Assert.Single(Parse(json).Events).Custom.Json);
    }

    [Fact]
    public void HugeString_OverTheLimit_IsAFieldError()
    {
        var huge = new string('a', 10 << 20);
        var error = Assert.Single(Errors(Encoding.UTF8.GetBytes($$$"""[{"event_id":"{{{huge}}}"}]"""), allLayouts: false));

        Assert.Equal("events[0].event_id", error.Path);
        Assert.Contains("10485760 bytes; the limit is 1048576", error.Message);
        var small = new JsonTranscodeOptions { MaxStringBytes = 1000 };
        SingleError(small, $$$"""{"tags":{"{{{new string('k', 2000)}}}":"v"}}""", "events[0].tags", "key", "2000 bytes; the limit is 1000");
        SingleError(small, $$$"""{"custom":{"json":["{{{new string('k', 2000)}}}"]}}""", "events[0].custom.json", "the limit is 1000");
    }

    [Fact]
    public void HugeNumbers_AreFieldErrors_NotExceptions()
    {
        var digits = new string('9', 5000);
        var errors = Errors($$$"""{"telemetry":{"metric_value":{{{digits}}}},"cost":{"amount":1}}""");
        Assert.Equal("events[0].telemetry.metric_value", errors[0].Path);

        SingleError($$$"""{"cost":{"input_tokens":{{{digits}}}}}""", "events[0].cost.input_tokens", "non-negative integer");
        SingleError($$$"""{"timestamp":{{{digits}}}}""", "events[0].timestamp", "outside 1970");
        SingleError($$$"""{"severity":{{{digits}}}}""", "events[0].severity", "non-negative number");
    }

    [Fact]
    public void Errors_AreCappedAtMaxErrors()
    {
        var json = "[" + string.Join(",", Enumerable.Repeat("""{"event_id":1,"tenant_id":2}""", 200)) + "]";
        var (result, _) = Run(Encoding.UTF8.GetBytes(json), Layout.Contiguous);

        Assert.Equal(100, result.Errors.Count);
        Assert.True(result.ErrorsTruncated);
    }
}
