using static AnalyticsHub.Protocol.Tests.Json.JsonTranscoderHarness;
using V1 = AnalyticsHub.Contracts.V1;

namespace AnalyticsHub.Protocol.Tests.Json;

public sealed class JsonEnumTests
{
    [Theory]
    [InlineData("llm-observatory", V1.SourceModule.LlmObservatory)]
    [InlineData("llm_observatory", V1.SourceModule.LlmObservatory)]
    [InlineData("LLM_OBSERVATORY", V1.SourceModule.LlmObservatory)]
    [InlineData("observatory", V1.SourceModule.LlmObservatory)]
    [InlineData("Observatory", V1.SourceModule.LlmObservatory)]
    [InlineData("llm-sentinel", V1.SourceModule.LlmSentinel)]
    [InlineData("SENTINEL", V1.SourceModule.LlmSentinel)]
    [InlineData("llm-costops", V1.SourceModule.LlmCostops)]
    [InlineData("llm-cost-ops", V1.SourceModule.LlmCostops)]
    [InlineData("LLM_COSTOPS", V1.SourceModule.LlmCostops)]
    [InlineData("llm-governance", V1.SourceModule.LlmGovernance)]
    [InlineData("llm-registry", V1.SourceModule.LlmRegistry)]
    [InlineData("registry", V1.SourceModule.LlmRegistry)]
    [InlineData("llm-policy-engine", V1.SourceModule.LlmPolicyEngine)]
    [InlineData("llm-policyengine", V1.SourceModule.LlmPolicyEngine)]
    [InlineData("LLM_POLICY_ENGINE", V1.SourceModule.LlmPolicyEngine)]
    [InlineData("SOURCE_MODULE_UNSPECIFIED", V1.SourceModule.Unspecified)]
    public void SourceModule_Spellings_MapToTheEnum(string name, V1.SourceModule expected)
    {
        Assert.Equal(expected, ParseEvent($$"""{"source_module":"{{name}}"}""").SourceModule);
        Assert.Equal(expected, ParseEvent($$"""{"sourceModule":"{{name}}"}""").SourceModule);
    }

    [Theory]
    [InlineData("3", V1.SourceModule.LlmCostops)]
    [InlineData("6", V1.SourceModule.LlmPolicyEngine)]
    [InlineData("42", (V1.SourceModule)42)]
    public void SourceModule_Number_IsPassedThrough(string number, V1.SourceModule expected)
    {
        Assert.Equal(expected, ParseEvent($$"""{"source_module":{{number}}}""").SourceModule);
    }

    [Theory]
    [InlineData("telemetry", V1.EventType.Telemetry)]
    [InlineData("SECURITY", V1.EventType.Security)]
    [InlineData("Cost", V1.EventType.Cost)]
    [InlineData("governance", V1.EventType.Governance)]
    [InlineData("metadata", V1.EventType.Metadata)]
    [InlineData("POLICY", V1.EventType.Policy)]
    public void EventType_NamesAnyCase_MapToTheEnum(string name, V1.EventType expected)
    {
        Assert.Equal(expected, ParseEvent($$"""{"event_type":"{{name}}"}""").EventType);
        Assert.Equal(V1.EventType.Policy, ParseEvent("""{"eventType":6}""").EventType);
    }

    [Theory]
    [InlineData("\"DEBUG\"", V1.Severity.Debug)]
    [InlineData("\"info\"", V1.Severity.Info)]
    [InlineData("\"Warning\"", V1.Severity.Warning)]
    [InlineData("\"ERROR\"", V1.Severity.Error)]
    [InlineData("\"critical\"", V1.Severity.Critical)]
    [InlineData("\"trace\"", V1.Severity.Debug)]
    [InlineData("\"low\"", V1.Severity.Info)]
    [InlineData("\"medium\"", V1.Severity.Warning)]
    [InlineData("\"warn\"", V1.Severity.Warning)]
    [InlineData("\"high\"", V1.Severity.Error)]
    [InlineData("\"fatal\"", V1.Severity.Critical)]
    [InlineData("\" HIGH \"", V1.Severity.Error)]
    [InlineData("4", V1.Severity.Error)]
    public void Severity_Vocabularies_MapToTheEnum(string value, V1.Severity expected)
    {
        Assert.Equal(expected, ParseEvent($$"""{"severity":{{value}}}""").Severity);
    }

    [Theory]
    [InlineData("source_module", "\"llm-unknown\"", "unknown name")]
    [InlineData("source_module", "\"llm\"", "unknown name")]
    [InlineData("source_module", "-1", "non-negative number")]
    [InlineData("source_module", "1.5", "non-negative number")]
    [InlineData("source_module", "true", "found true")]
    [InlineData("event_type", "\"registry\"", "telemetry, security")]
    [InlineData("event_type", "{}", "found an object")]
    [InlineData("severity", "\"bad\"", "debug, info, warning")]
    [InlineData("severity", "99999999999", "non-negative number")]
    [InlineData("severity", "[\"high\"]", "found an array")]
    public void Enum_UnknownOrWrongType_IsAFieldError(string key, string value, string message)
    {
        SingleError($$"""{"{{key}}":{{value}}}""", $"events[0].{key}", message);
    }
}
