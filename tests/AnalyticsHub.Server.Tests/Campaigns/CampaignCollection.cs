namespace AnalyticsHub.Server.Tests.Campaigns;

/// <summary>
/// Campaigns put a hub under load with thresholds on its rate and latency: they run alone, after
/// the parallel tests, so their thresholds measure the hub rather than the other tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CampaignCollection
{
    public const string Name = "Campaigns";
}
