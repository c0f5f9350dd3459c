using AnalyticsHub.LoadRunner.Campaign;
using AnalyticsHub.LoadRunner.Scenario;

namespace AnalyticsHub.LoadRunner.Tests.Campaign;

/// <summary>The committed loadtest/campaigns/release.yaml parses, with the stages its comments describe.</summary>
public class ReleaseCampaignTests
{
    private static readonly string Root = FindRoot();

    private static readonly string File = Path.Combine(Root, "loadtest", "campaigns", "release.yaml");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "AnalyticsHub.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("AnalyticsHub.sln not found above " + AppContext.BaseDirectory);
    }

    private static CampaignDefinition Parse(params string[] extra)
    {
        Assert.True(CampaignParser.TryParse(["--campaign", File, .. extra], out var campaign, out _, out var error), error);
        return campaign!;
    }

    [Fact]
    public void Release_ParsesIntoSixStages_WithTheExpectedShapes()
    {
        var c = Parse();

        Assert.Equal("release", c.Name);
        Assert.StartsWith("Ramp to find where the hub stops keeping up", c.Description, StringComparison.Ordinal);
        Assert.Equal("http://127.0.0.1:9090/metrics", c.MetricsUrl);
        Assert.Null(c.ReportDirectory);
        Assert.Equal(
            [
                ("ramp", "ramp 100,000 → 1,400,000 events/s, grpc-stream 1×4"),
                ("constant-500k", "constant 500,000 events/s, grpc-stream 1×4"),
                ("sustained-max", "sustained max, grpc-stream 1×4"),
                ("mixed", "constant 400,000 events/s, grpc-stream 1×4 + 4 query clients at 100 queries/s"),
                ("many-connections", "constant 200,000 events/s, grpc-stream 256×1"),
                ("rest-security-policy", "constant 100,000 events/s, rest 1×4"),
            ],
            c.Stages.Select(s => (s.Name, s.Shape)));
    }

    [Fact]
    public void Release_EveryStage_SharesTheTopLevelOptions()
    {
        foreach (var s in Parse().Stages)
        {
            Assert.Equal(TimeSpan.FromSeconds(10), s.Settle);
            Assert.Equal(0, s.Load.MaxErrors);
            Assert.Equal(50, s.Load.Models);
            Assert.Equal(TimeSpan.FromSeconds(5), s.Load.Warmup);
            Assert.Equal(TimeSpan.FromSeconds(15), s.Load.DrainTimeout);
            Assert.Equal("http://127.0.0.1:50051", s.Load.Target);
            Assert.Equal("http://127.0.0.1:8080/api/v1/events", s.Load.RestUrl);
            Assert.Null(s.Load.MetricsUrl);
            Assert.NotNull(s.Load.MinRate);
            Assert.Equal(s.Name == "sustained-max" ? TimeSpan.FromSeconds(120) : TimeSpan.FromSeconds(60), s.Load.Duration);
            Assert.Equal(s.Name == "mixed", s.Query is not null);
        }
    }

    [Fact]
    public void Release_StageThresholds()
    {
        var stages = Parse().Stages.ToDictionary(s => s.Name);

        var ramp = stages["ramp"].Load;
        Assert.Equal((100_000.0, 1_400_000.0, 800_000.0), (ramp.RampFrom, ramp.Rate, ramp.MinRate!.Value));
        Assert.Null(ramp.MaxP99Ms);
        Assert.Equal((500_000.0, 485_000.0, 100.0), (stages["constant-500k"].Load.Rate, stages["constant-500k"].Load.MinRate!.Value, stages["constant-500k"].Load.MaxP99Ms!.Value));
        Assert.Equal((0.0, 800_000.0, 250.0), (stages["sustained-max"].Load.Rate, stages["sustained-max"].Load.MinRate!.Value, stages["sustained-max"].Load.MaxP99Ms!.Value));

        var many = stages["many-connections"].Load;
        Assert.Equal((256, 1, 2, 100), (many.Connections, many.Streams, many.Inflight, many.Batch));

        var rest = stages["rest-security-policy"].Load;
        Assert.Equal(LoadMode.Rest, rest.Mode);
        Assert.Equal("security=50,policy=40,telemetry=10", rest.Mix.ToString());
        Assert.Equal((2, 1000), (rest.Inflight, rest.Batch));
    }

    [Fact]
    public void Release_MixedStage_QueriesTheCommittedBody()
    {
        var mixed = Parse().Stages.Single(s => s.Name == "mixed");

        Assert.Equal((400_000.0, 388_000.0, 150.0), (mixed.Load.Rate, mixed.Load.MinRate!.Value, mixed.Load.MaxP99Ms!.Value));
        var q = mixed.Query!;
        Assert.Equal(LoadMode.Query, q.Mode);
        Assert.Equal("http://127.0.0.1:8080/api/v1/query", q.QueryUrl);
        Assert.Equal([Path.Combine(Root, "loadtest", "queries", "latency-24h-1h-by-model.json")], q.QueryFiles);
        Assert.Equal((4, 100.0, 97.0, 250.0), (q.Clients, q.Rate, q.MinRate!.Value, q.MaxP99Ms!.Value));
        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60), 0L), (q.Warmup, q.Duration, q.MaxErrors!.Value));
    }

    [Fact]
    public void Release_ReducedAsInCi()
    {
        // tests/AnalyticsHub.Server.Tests/Campaigns runs it so (see the file's header).
        var c = Parse("--duration", "3s", "--warmup", "1s", "--rate-scale", "0.02", "--batch", "10");

        Assert.All(c.Stages, s => Assert.Equal((TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1), 10), (s.Load.Duration, s.Load.Warmup, s.Load.Batch)));
        var ramp = c.Stages[0].Load;
        Assert.Equal(2_000, ramp.RampFrom, 6);
        Assert.Equal(28_000, ramp.Rate, 6);
        Assert.Equal(16_000, ramp.MinRate!.Value, 6);
        var mixed = c.Stages[3];
        Assert.Equal(8_000, mixed.Load.Rate, 6);
        Assert.Equal((TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1), 100.0), (mixed.Query!.Duration, mixed.Query.Warmup, mixed.Query.Rate));
    }

    [Fact]
    public void Release_StageFilter()
    {
        var c = Parse("--stage", "mixed,ramp");
        Assert.Equal(["ramp", "mixed"], c.Stages.Select(s => s.Name));
    }
}
