using System.Text;
using static AnalyticsHub.Protocol.Tests.Json.JsonTranscoderHarness;

namespace AnalyticsHub.Protocol.Tests.Json;

public sealed class JsonBadInputTests
{
    [Theory]
    [InlineData("[{\"event_id\":\"a\"", "byte 16")]
    [InlineData("[{\"event_id\":\"a\"},", "byte 18")]
    [InlineData("{\"events\":[{\"event_id\":\"a", "byte")]
    [InlineData("[{\"event_id\":\"a\"}] garbage", "byte 19")]
    [InlineData("[{\"event_id\":\"a\",}]", "byte 17")]
    [InlineData("[{'event_id':'a'}]", "byte 2")]
    [InlineData("nope", "byte 1")]
    [InlineData("[1 2]", "byte 3")]
    [InlineData("\u0000\u0001\u0002", "byte 0")]
    [InlineData("[{\"a\":1}]\n\n  ]", "byte 13 (line 3")]
    public void MalformedJson_IsOneBodyErrorWithItsBytePosition(string json, string position)
    {
        var error = SingleError(json, "$", "malformed JSON", position);
        Assert.Equal(-1, error.EventIndex);
    }

    [Fact]
    public void MalformedJson_AfterFieldErrors_ReplacesThem()
    {
        var errors = Errors("""[{"event_id":1},{"event_id":2},{""");
        Assert.Contains("malformed JSON", Assert.Single(errors).Message);
    }

    [Fact]
    public void GarbageBytes_NeverThrow()
    {
        var random = new Random(7);
        var bytes = new byte[4096];
        for (var i = 0; i < 200; i++)
        {
            random.NextBytes(bytes);
            bytes[0] = (byte)"[{\"x"[i % 4];
            var (result, output) = Run(bytes, Layout.RandomSegments);
            Assert.False(result.Success);
            Assert.Empty(output);
            Assert.NotEmpty(result.Errors);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \r\n\t")]
    public void EmptyBody_IsABodyError(string json) => SingleError(json, "$", "body is empty");

    [Theory]
    [InlineData("42", "the number 42")]
    [InlineData("\"events\"", "the string")]
    [InlineData("null", "null")]
    [InlineData("true", "true")]
    public void RootOfTheWrongType_IsABodyError(string json, string found) => SingleError(json, "$", "expected an array of events", found);

    [Theory]
    [InlineData("""{"events":{}}""", "events", "expected an array of events, found an object")]
    [InlineData("""{"events":[{}],"producer_id":7}""", "producer_id", "expected a string, found the number 7")]
    [InlineData("""{"events":[{}],"sequence":-1}""", "sequence", "non-negative integer")]
    [InlineData("""{"events":[{}],"sequence":"x"}""", "sequence", "non-negative integer")]
    [InlineData("""{"events":[{}],"events":[{}]}""", "events", "more than once")]
    public void Envelope_WrongTypes_AreBodyErrors(string json, string path, string message)
    {
        Assert.Equal(-1, SingleError(json, path, message).EventIndex);
    }

    [Theory]
    [InlineData("[1]", "events[0]", "expected an event object, found the number 1")]
    [InlineData("[{},\"e\"]", "events[1]", "found the string \"e\"")]
    [InlineData("[{},[]]", "events[1]", "found an array")]
    public void EventOfTheWrongType_IsAnError(string json, string path, string message) => SingleError(json, path, message);

    public static TheoryData<string, string, string> WrongTypes => new()
    {
        { "\"event_id\":1", "event_id", "expected a string, found the number 1" },
        { "\"schema_version\":1.2", "schema_version", "expected a string, found the number 1.2" },
        { "\"correlation_id\":{}", "correlation_id", "expected a string, found an object" },
        { "\"parent_event_id\":[]", "parent_event_id", "found an array" },
        { "\"environment\":true", "environment", "found true" },
        { "\"tenant_id\":false", "tenant_id", "found false" },
        { "\"assetId\":0", "asset_id", "found the number 0" },
        { "\"tags\":[]", "tags", "expected an object" },
        { "\"tags\":\"a=b\"", "tags", "expected an object" },
        { "\"tags\":{\"a\":{\"b\":\"c\"}}", "tags.a", "expected a string, number or boolean, found an object" },
        { "\"tags\":{\"a\":[\"b\"]}", "tags.a", "found an array" },
        { "\"tags\":{\"a\":\"1\",\"a\":\"2\"}", "tags.a", "more than once" },
        { "\"payload\":{}", "payload", "needs event_type" },
        { "\"event_type\":9,\"payload\":{}", "payload", "event_type 9 has no payload" },
        { "\"telemetry\":[]", "telemetry", "expected a telemetry payload object, found an array" },
        { "\"telemetry\":\"x\"", "telemetry", "found the string" },
        { "\"telemetry\":{\"metric_value\":\"abc\"}", "telemetry.metric_value", "expected a number, found the string \"abc\"" },
        { "\"telemetry\":{\"metric_value\":{}}", "telemetry.metric_value", "expected a number, found an object" },
        { "\"telemetry\":{\"metric_value\":true}", "telemetry.metric_value", "found true" },
        { "\"telemetry\":{\"metric_value\":1e999}", "telemetry.metric_value", "out of range" },
        { "\"telemetry\":{\"metric_value\":\"NaN\"}", "telemetry.metric_value", "expected a number" },
        { "\"telemetry\":{\"metric_value\":\"Infinity\"}", "telemetry.metric_value", "expected a number" },
        { "\"telemetry\":{\"metric_name\":5}", "telemetry.metric_name", "expected a string" },
        { "\"telemetry\":{\"dimensions\":[]}", "telemetry.dimensions", "expected an object" },
        { "\"telemetry\":{\"dimensions\":{\"a\":{}}}", "telemetry.dimensions.a", "found an object" },
        { "\"telemetry\":{\"x\":{}}", "telemetry.x", "expected a string, number or boolean" },
        { "\"telemetry\":{\"x\":\"1\",\"dimensions\":{\"x\":\"2\"}}", "telemetry.dimensions.x", "more than once" },
        { "\"telemetry\":{\"metric_name\":\"a\",\"metricName\":\"b\"}", "telemetry.metric_name", "more than once" },
        { "\"cost\":{\"input_tokens\":-5}", "cost.input_tokens", "non-negative integer" },
        { "\"cost\":{\"output_tokens\":1.5}", "cost.output_tokens", "non-negative integer" },
        { "\"cost\":{\"input_tokens\":18446744073709551616}", "cost.input_tokens", "non-negative integer" },
        { "\"cost\":{\"input_tokens\":1e400}", "cost.input_tokens", "non-negative integer" },
        { "\"cost\":{\"input_tokens\":\"many\"}", "cost.input_tokens", "non-negative integer" },
        { "\"cost\":{\"input_tokens\":[1]}", "cost.input_tokens", "found an array" },
        { "\"cost\":{\"amount\":\"1,5\"}", "cost.amount", "expected a number" },
        { "\"event_type\":\"cost\",\"payload\":{\"amount\":[]}", "payload.amount", "expected a number, found an array" },
        { "\"security\":{\"affected_resources\":{}}", "security.affected_resources", "expected an array of strings" },
        { "\"security\":{\"affected_resources\":[\"a\",3]}", "security.affected_resources[1]", "expected a string, found the number 3" },
        { "\"governance\":{\"lineage\":[[]]}", "governance.lineage[0]", "found an array" },
        { "\"policy\":{\"passed\":\"yes\"}", "policy.passed", "expected true or false" },
        { "\"policy\":{\"passed\":1}", "policy.passed", "expected true or false" },
        { "\"policy\":{\"score\":\"high\"}", "policy.score", "expected a number" },
        { "\"custom\":{\"data\":\"not base64!\"}", "custom.data", "expected base64" },
        { "\"custom\":{\"data\":7}", "custom.data", "expected a base64 string" },
        { "\"custom\":{\"type_name\":{}}", "custom.type_name", "expected a string" },
        { "\"telemetry\":{},\"cost\":{}", "cost", "one payload" },
        { "\"event_type\":\"cost\",\"payload\":{},\"cost\":{}", "cost", "one payload" },
        { "\"event_id\":\"a\",\"eventId\":\"b\"", "event_id", "more than once" },
    };

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public void WrongType_IsAFieldErrorWithItsPath(string fields, string path, string message)
    {
        var error = SingleError($$"""[{"event_id":"ok"},{{{fields}}}]""", $"events[1].{path}", message);
        Assert.Equal(1, error.EventIndex);
    }

    [Fact]
    public void FieldErrors_AreCollectedAcrossEvents()
    {
        var errors = Errors("""
            [{"event_id":1,"severity":"loud"},{"event_id":"fine"},{"telemetry":{"metric_value":"abc"},"tags":{"a":[]}}]
            """);

        Assert.Equal(
            ["events[0].event_id", "events[0].severity", "events[2].telemetry.metric_value", "events[2].tags.a"],
            errors.Select(e => e.Path));
        Assert.Equal([0, 0, 2, 2], errors.Select(e => e.EventIndex));
    }

    [Fact]
    public void InvalidUtf8_InAStringValueOrKey_IsAFieldError()
    {
        byte[] Body(string prefix, byte[] bad, string suffix) => [.. Encoding.UTF8.GetBytes(prefix), .. bad, .. Encoding.UTF8.GetBytes(suffix)];
        byte[] invalid = [0xC3, 0x28];

        SingleError(Body("""{"event_id":"a""", invalid, "\"}"), "events[0].event_id", "not valid UTF-8");
        SingleError(Body("""{"tags":{"k":"a""", invalid, "\"}}"), "events[0].tags.k", "not valid UTF-8");
        SingleError(Body("""{"tags":{"k""", invalid, "\":\"v\"}}"), "events[0].tags", "key", "not valid UTF-8");
        SingleError(Body("""{"custom":{"json":["a""", invalid, "\"]}}"), "events[0].custom.json", "not valid UTF-8");
        SingleError(Body("""{"telemetry":{"x""", invalid, "\":1}}"), "events[0].telemetry", "key", "not valid UTF-8");
        SingleError(Body("""{"events":[{}],"producer_id":"p""", invalid, "\"}"), "producer_id", "not valid UTF-8");
    }

    [Fact]
    public void UnpairedSurrogateEscape_IsAFieldError()
    {
        SingleError("""{"event_id":"\ud800"}""", "events[0].event_id", "unpaired");
        SingleError("""{"tags":{"k":"\udc00x"}}""", "events[0].tags.k", "unpaired");
    }
}
