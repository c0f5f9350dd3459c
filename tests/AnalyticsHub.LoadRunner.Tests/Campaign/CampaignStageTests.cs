using AnalyticsHub.LoadRunner.Campaign;
using AnalyticsHub.LoadRunner.Scenario;

namespace AnalyticsHub.LoadRunner.Tests.Campaign;

/// <summary><see cref="CampaignStage.Shape"/>: what a stage does, in a few words.</summary>
public class CampaignStageTests
{
    private static string Shape(LoadScenario load, LoadScenario? query = null) => new CampaignStage("s", "", load, query, TimeSpan.Zero).Shape;

    [Fact]
    public void Ramp() =>
        Assert.Equal("ramp 50,000 → 1,000,000 events/s, grpc-stream 2×4", Shape(new LoadScenario { RampFrom = 50_000, Rate = 1_000_000 }));

    [Fact]
    public void Constant() =>
        Assert.Equal("constant 300,001 events/s, grpc-unary 1×8", Shape(new LoadScenario { Mode = LoadMode.GrpcUnary, Connections = 1, Streams = 8, Rate = 300_000.6 }));

    [Fact]
    public void SustainedMax() =>
        Assert.Equal("sustained max, rest 3×2", Shape(new LoadScenario { Mode = LoadMode.Rest, Connections = 3, Streams = 2 }));

    [Fact]
    public void QueryOnly_ClosedLoopOrPaced()
    {
        Assert.Equal("16 closed-loop query clients", Shape(new LoadScenario { Mode = LoadMode.Query }));
        Assert.Equal("constant 50 queries/s", Shape(new LoadScenario { Mode = LoadMode.Query, Rate = 50, Clients = 2 }));
    }

    [Fact]
    public void Mixed_AddsTheQueryRun()
    {
        var load = new LoadScenario { Rate = 400_000, Connections = 1 };
        Assert.Equal("constant 400,000 events/s, grpc-stream 1×4 + 4 query clients at 100 queries/s", Shape(load, new LoadScenario { Mode = LoadMode.Query, Clients = 4, Rate = 100 }));
        Assert.Equal("constant 400,000 events/s, grpc-stream 1×4 + 3 closed-loop query clients", Shape(load, new LoadScenario { Mode = LoadMode.Query, Clients = 3 }));
    }
}
