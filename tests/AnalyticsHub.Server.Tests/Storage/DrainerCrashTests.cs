using AnalyticsHub.Server.Tests.Ingestion;
using Xunit.Abstractions;

namespace AnalyticsHub.Server.Tests.Storage;

/// <summary>
/// The WAL → store drainer keeps exactly-once across <c>kill -9</c>: the hub, fed by a producer
/// that retries what was not acknowledged, is killed mid-drain (small drain batches make every
/// moment mid-drain) and restarted; in the end the embedded store holds every sent event once.
/// </summary>
[Collection(DurabilityCollection.Name)]
public sealed class DrainerCrashTests(ITestOutputHelper output)
{
    private static readonly string[] SmallDrains = ["--Hub:Storage:BatchRows=700", "--Hub:Storage:BatchIntervalMs=20"];

    [Fact]
    public Task SigkillMidDrain_FiveTimes_EmbeddedStoreHoldsEverySentEventExactlyOnce() =>
        DrainCrashScenario.RunAsync(output, "drain-crash-producer", SmallDrains, DrainCrashStores.Embedded);
}
