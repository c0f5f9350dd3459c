using AnalyticsHub.Core.Events;
using Google.Protobuf;
using static AnalyticsHub.Protocol.Tests.Json.JsonTranscoderHarness;
using V1 = AnalyticsHub.Contracts.V1;

namespace AnalyticsHub.Protocol.Tests.Json;

public sealed class JsonPayloadTests
{
    [Fact]
    public void Telemetry_AllFields()
    {
        var e = ParseEvent("""{"telemetry":{"metric_name":"latency","metric_value":123.5,"unit":"ms","dimensions":{"service":"chat","replicas":3}}}""");

        Assert.Equal(new V1.TelemetryPayload { MetricName = "latency", MetricValue = 123.5, Unit = "ms", Dimensions = { ["service"] = "chat", ["replicas"] = "3" } }, e.Telemetry);
    }

    [Fact]
    public void Security_AllFields()
    {
        var e = ParseEvent("""
            {"security":{"threat_type":"prompt_injection","description":"ignore previous","threat_level":"high","source_ip":"10.0.0.1",
             "user_id":"u-9","action_taken":"blocked","affected_resources":["a","","b"],"details":{"rule":"r-12"}}}
            """);

        Assert.Equal(new V1.SecurityPayload
        {
            ThreatType = "prompt_injection", Description = "ignore previous", ThreatLevel = "high", SourceIp = "10.0.0.1",
            UserId = "u-9", ActionTaken = "blocked", AffectedResources = { "a", "", "b" }, Details = { ["rule"] = "r-12" },
        }, e.Security);
    }

    [Fact]
    public void Cost_AllFields_InCamelCase()
    {
        var e = ParseEvent("""
            {"cost":{"costType":"tokens","amount":"0.0125","currency":"USD","attribution":{"team":"search"},
             "inputTokens":1200,"outputTokens":"340","modelId":"gpt-4o"}}
            """);

        Assert.Equal(new V1.CostPayload
        {
            CostType = "tokens", Amount = 0.0125, Currency = "USD", Attribution = { ["team"] = "search" },
            InputTokens = 1200, OutputTokens = 340, ModelId = "gpt-4o",
        }, e.Cost);
    }

    [Fact]
    public void Governance_AllFields()
    {
        var e = ParseEvent("""
            {"governance":{"governance_type":"audit","policy_id":"p-1","actor":"alice","action":"export","resource":"ds-1",
             "outcome":"allowed","lineage":["raw","clean"],"details":{"ticket":"T-1"}}}
            """);

        Assert.Equal(new V1.GovernancePayload
        {
            GovernanceType = "audit", PolicyId = "p-1", Actor = "alice", Action = "export", Resource = "ds-1",
            Outcome = "allowed", Lineage = { "raw", "clean" }, Details = { ["ticket"] = "T-1" },
        }, e.Governance);
    }

    [Fact]
    public void Metadata_AllFields()
    {
        var e = ParseEvent("""
            {"metadata":{"change_type":"created","asset_type":"model","name":"m","version":"2.1.0","owner":"ml","attributes":{"license":"mit"}}}
            """);

        Assert.Equal(new V1.MetadataPayload { ChangeType = "created", AssetType = "model", Name = "m", Version = "2.1.0", Owner = "ml", Attributes = { ["license"] = "mit" } }, e.Metadata);
    }

    [Fact]
    public void Policy_AllFields()
    {
        var e = ParseEvent("""
            {"policy":{"policy_id":"pii","policy_version":"3","decision":"deny","passed":true,"score":0.97,
             "violation_id":"v-1","rule_id":"r-2","evaluation_ms":1.25,"details":{"k":"v"}}}
            """);

        Assert.Equal(new V1.PolicyPayload
        {
            PolicyId = "pii", PolicyVersion = "3", Decision = "deny", Passed = true, Score = 0.97,
            ViolationId = "v-1", RuleId = "r-2", EvaluationMs = 1.25, Details = { ["k"] = "v" },
        }, e.Policy);
    }

    [Fact]
    public void Custom_AllFields_JsonAsStringOrValue_DataAsBase64()
    {
        var asString = ParseEvent("""{"custom":{"type_name":"ab_test","json":"{\"arm\":\"b\"}","data":"AQID/w==","fields":{"arm":"b"}}}""");
        Assert.Equal(new V1.CustomPayload { TypeName = "ab_test", Json = "{\"arm\":\"b\"}", Data = ByteString.CopyFrom(1, 2, 3, 255), Fields = { ["arm"] = "b" } }, asString.Custom);

        var asValue = ParseEvent("""{"custom":{"json":{"arm":"b","n":[1, 2.5e3],"s":"caf\u00e9"},"data":"AQID_w"}}""");
        Assert.Equal("""{"arm":"b","n":[1, 2.5e3],"s":"caf\u00e9"}""", asValue.Custom.Json);
        Assert.Equal(ByteString.CopyFrom(1, 2, 3, 255), asValue.Custom.Data); // URL-safe, unpadded

        Assert.Equal("42", ParseEvent("""{"custom":{"json":42}}""").Custom.Json);
        Assert.Equal(ByteString.CopyFrom(1, 2, 3, 255), ParseEvent("""{"custom":{"data":"AQID\n/w=="}}""").Custom.Data); // MIME line break
        Assert.Equal(ByteString.Empty, ParseEvent("""{"custom":{"data":""}}""").Custom.Data);
    }

    [Theory]
    [InlineData("telemetry", "telemetry")]
    [InlineData("security", "security")]
    [InlineData("cost", "cost")]
    [InlineData("governance", "governance")]
    [InlineData("metadata", "metadata")]
    [InlineData("policy", "policy")]
    public void Payload_ChosenByEventType_BeforeOrAfterIt(string eventType, string expectedCase)
    {
        var before = ParseEvent($$$"""{"event_type":"{{{eventType}}}","payload":{"extra":"x"}}""");
        var after = ParseEvent($$"""{"payload":{"extra":"x"},"source_module":"llm-registry","event_type":"{{eventType}}","event_id":"e"}""");

        Assert.Equal(expectedCase, before.PayloadCase.ToString(), ignoreCase: true);
        Assert.Equal(expectedCase, after.PayloadCase.ToString(), ignoreCase: true);
        Assert.Equal("e", after.EventId);
    }

    [Fact]
    public void Payload_AfterEventType_MatchesTheNamedForm()
    {
        var named = Bytes("""{"event_type":"cost","cost":{"amount":1.5,"currency":"EUR"}}""");
        var viaPayload = Bytes("""{"event_type":"cost","payload":{"amount":1.5,"currency":"EUR"}}""");

        Assert.Equal(named, viaPayload);
    }

    [Fact]
    public void Payload_UnknownKeys_LandInThePayloadMap()
    {
        var e = ParseEvent("""
            {"telemetry":{"metric_name":"tokens","region":"eu","count":17,"ratio":-0.5e-3,"cached":true,"stale":false,"gone":null,"dimensions":{"service":"chat"}}}
            """);

        Assert.Equal(new Dictionary<string, string> { ["region"] = "eu", ["count"] = "17", ["ratio"] = "-0.5e-3", ["cached"] = "true", ["stale"] = "false", ["service"] = "chat" }, e.Telemetry.Dimensions);
        Assert.Equal("tokens", e.Telemetry.MetricName);
    }

    [Theory]
    [InlineData("security")]
    [InlineData("cost")]
    [InlineData("governance")]
    [InlineData("metadata")]
    [InlineData("policy")]
    [InlineData("custom")]
    public void Payload_UnknownKeys_LandInEachKindsMap(string kind)
    {
        var e = ParseEvent($$$"""{"{{{kind}}}":{"zz_extra":"1"}}""");
        var map = e.PayloadCase switch
        {
            V1.AnalyticsEvent.PayloadOneofCase.Security => e.Security.Details,
            V1.AnalyticsEvent.PayloadOneofCase.Cost => e.Cost.Attribution,
            V1.AnalyticsEvent.PayloadOneofCase.Governance => e.Governance.Details,
            V1.AnalyticsEvent.PayloadOneofCase.Metadata => e.Metadata.Attributes,
            V1.AnalyticsEvent.PayloadOneofCase.Policy => e.Policy.Details,
            V1.AnalyticsEvent.PayloadOneofCase.Custom => e.Custom.Fields,
            _ => throw new InvalidOperationException(e.PayloadCase.ToString()),
        };

        Assert.Equal("1", Assert.Single(map).Value);
    }

    [Fact]
    public void Tags_NumbersAndBooleans_AreWrittenAsTheirJsonText()
    {
        var e = ParseEvent("""{"tags":{"region":"eu-west-1","shard":7,"weight":1.50,"canary":true,"skip":null,"":"empty key"}}""");

        Assert.Equal(new Dictionary<string, string> { ["region"] = "eu-west-1", ["shard"] = "7", ["weight"] = "1.50", ["canary"] = "true", [""] = "empty key" }, e.Tags);
    }

    [Fact]
    public void EscapedStrings_AreUnescaped()
    {
        var e = ParseEvent("""{"event_id":"caf\u00e9 \"quoted\" \\ \/ \n \ud83d\ude00","tags":{"k\u00e9y":"v\u00e9"},"telemetry":{"metric_name":"a\tb"}}""");

        Assert.Equal("café \"quoted\" \\ / \n 😀", e.EventId);
        Assert.Equal("vé", e.Tags["kéy"]);
        Assert.Equal("a\tb", e.Telemetry.MetricName);
    }

    [Fact]
    public void EscapedKeys_AreMatched()
    {
        var e = ParseEvent("""{"event\u005fid":"a","\u0074elemetry":{"metric\u005Fvalue":2}}""");

        Assert.Equal("a", e.EventId);
        Assert.Equal(2, e.Telemetry.MetricValue);
    }

    [Fact]
    public void LongStrings_CrossVarintLengthBoundaries()
    {
        foreach (var length in new[] { 127, 128, 16383, 16384, 70000 })
        {
            var text = new string('x', length);
            var escaped = new string('é', length / 2); // 2 bytes each in UTF-8, 6 as an escape
            var escapes = string.Concat(Enumerable.Repeat("\\u00e9", length / 2));
            var e = ParseEvent($$$"""{"event_id":"{{{text}}}","tags":{"t":"{{{escapes}}}"},"custom":{"json":"{{{escapes}}}"}}""");

            Assert.Equal(text, e.EventId);
            Assert.Equal(escaped, e.Tags["t"]);
            Assert.Equal(escaped, e.Custom.Json);
        }
    }

    [Fact]
    public void HubDecoder_ReadsTheColumns()
    {
        using var batch = Decode(Bytes("""
            [{"event_id":"a","source_module":"llm-costops","event_type":"cost","severity":"high","tags":{"region":"eu"},
              "cost":{"cost_type":"tokens","amount":2.5,"currency":"USD","input_tokens":10,"output_tokens":20,"attribution":{"team":"x"}}}]
            """));

        var row = batch[0];
        Assert.Equal(SourceModule.LlmCostOps, row.SourceModule);
        Assert.Equal(EventType.Cost, row.EventType);
        Assert.Equal(Severity.Error, row.Severity);
        Assert.Equal(PayloadKind.Cost, row.PayloadKind);
        Assert.Equal("tokens", Text(batch, row.PayloadName));
        Assert.Equal(2.5, row.PayloadValue);
        Assert.Equal("USD", Text(batch, row.PayloadUnit));
        Assert.Equal(10UL, row.InputTokens);
        Assert.Equal(20UL, row.OutputTokens);
        Assert.Equal(1, row.TagCount);
        Assert.Equal(1, row.PayloadPairCount);
    }
}
