using System.Text;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Normalization;

namespace AnalyticsHub.Core.Tests.Normalization;

public sealed class FieldMappingsTests
{
    [Theory]
    [InlineData(SourceModule.LlmRegistry, "id", "asset_id")]
    [InlineData(SourceModule.LlmRegistry, "model_version", "version")]
    [InlineData(SourceModule.LlmRegistry, "owner_team", "owner")]
    [InlineData(SourceModule.LlmPolicyEngine, "violation_id", "id")]
    [InlineData(SourceModule.LlmPolicyEngine, "policy_name", "policy_id")]
    [InlineData(SourceModule.LlmPolicyEngine, "level", "severity")]
    [InlineData(SourceModule.LlmRegistry, "ID", "asset_id")]
    [InlineData(SourceModule.LlmPolicyEngine, "Policy_Name", "policy_id")]
    public void TryMap_Renamed(SourceModule module, string key, string expected)
    {
        Assert.True(FieldMappings.TryMap(module, Encoding.UTF8.GetBytes(key), out var canonical));
        Assert.Equal(expected, Encoding.UTF8.GetString(canonical));
    }

    [Theory]
    [InlineData(SourceModule.LlmRegistry, "asset_id")] // already canonical
    [InlineData(SourceModule.LlmRegistry, "violation_id")] // another module's rename
    [InlineData(SourceModule.LlmPolicyEngine, "id")]
    [InlineData(SourceModule.LlmPolicyEngine, "model_version")]
    [InlineData(SourceModule.LlmObservatory, "id")]
    [InlineData(SourceModule.LlmObservatory, "level")]
    [InlineData(SourceModule.Unspecified, "id")]
    [InlineData(SourceModule.LlmRegistry, "")]
    [InlineData(SourceModule.LlmRegistry, " id")]
    [InlineData(SourceModule.LlmRegistry, "idx")]
    public void TryMap_NotRenamed_ReturnsTheKey(SourceModule module, string key)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(key);
        Assert.False(FieldMappings.TryMap(module, bytes, out var canonical));
        Assert.True(canonical.SequenceEqual(bytes));
    }
}
