namespace AnalyticsHub.Server.Tests.Ingestion;

/// <summary>
/// The durability tests kill hubs, fill disks and measure memory: they run one at a time, alone,
/// so two cores are not shared with another hub under load (timings and RSS stay meaningful).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DurabilityCollection
{
    public const string Name = "Durability";
}
