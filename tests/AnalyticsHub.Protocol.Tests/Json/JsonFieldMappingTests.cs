using static AnalyticsHub.Protocol.Tests.Json.JsonTranscoderHarness;

namespace AnalyticsHub.Protocol.Tests.Json;

public sealed class JsonFieldMappingTests
{
    [Fact]
    public void Registry_SeedNames_FillTheirFields_AndStayInAttributes()
    {
        var e = ParseEvent("""{"source_module":"llm-registry","metadata":{"model_version":"2.1.0","owner_team":"ml","id":"asset-7"}}""");

        Assert.Equal("2.1.0", e.Metadata.Version);
        Assert.Equal("ml", e.Metadata.Owner);
        Assert.Equal("2.1.0", e.Metadata.Attributes["model_version"]);
        Assert.Equal("asset-7", e.Metadata.Attributes["id"]); // asset_id is the normalizer's to promote
    }

    [Fact]
    public void Registry_SourceModuleAfterThePayload_StillMapsKeys()
    {
        var e = ParseEvent("""{"payload":{"model_version":"2.1.0"},"event_type":"metadata","source_module":"registry"}""");
        Assert.Equal("2.1.0", e.Metadata.Version);

        var named = ParseEvent("""{"metadata":{"owner_team":"ml"},"source_module":"LLM_REGISTRY"}""");
        Assert.Equal("ml", named.Metadata.Owner);
    }

    [Theory]
    [InlineData("""{"version":"explicit","model_version":"seed"}""")]
    [InlineData("""{"model_version":"seed","version":"explicit"}""")]
    public void Registry_ExplicitField_WinsOverTheRenamedKey_InEitherOrder(string payload)
    {
        var e = ParseEvent($$"""{"source_module":"llm-registry","metadata":{{payload}}}""");

        Assert.Equal("explicit", e.Metadata.Version);
        Assert.Equal("seed", e.Metadata.Attributes["model_version"]);
    }

    [Fact]
    public void PolicyEngine_SeedNames_FillTheirFields()
    {
        var e = ParseEvent("""{"source_module":"llm-policy-engine","event_type":"policy","payload":{"policy_name":"pii-guard","level":"high","violation_id":"v-1","passed":false}}""");

        Assert.Equal("pii-guard", e.Policy.PolicyId);
        Assert.Equal("v-1", e.Policy.ViolationId); // a field of PolicyPayload itself: not renamed
        Assert.Equal("high", e.Policy.Details["level"]); // severity: the normalizer's to promote
        Assert.False(e.Policy.Passed);
    }

    [Fact]
    public void OtherModules_KeepSeedNamesInTheMap()
    {
        var e = ParseEvent("""{"source_module":"llm-observatory","metadata":{"model_version":"2"}}""");

        Assert.Equal("", e.Metadata.Version);
        Assert.Equal("2", e.Metadata.Attributes["model_version"]);
    }

    [Fact]
    public void NoSourceModule_KeepsSeedNamesInTheMap()
    {
        var e = ParseEvent("""{"policy":{"policy_name":"p"}}""");

        Assert.Equal("", e.Policy.PolicyId);
        Assert.Equal("p", e.Policy.Details["policy_name"]);
    }
}
