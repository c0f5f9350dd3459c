using AnalyticsHub.LoadRunner.Scenario;

namespace AnalyticsHub.LoadRunner.Tests.Scenario;

public class ScenarioParserTests
{
    [Fact]
    public void NoArguments_GiveTheDefaults()
    {
        Assert.True(ScenarioParser.TryParse([], out var s, out var help, out var error), error);
        Assert.False(help);
        Assert.Equal("http://127.0.0.1:50051", s.Target);
        Assert.Equal(LoadMode.GrpcStream, s.Mode);
        Assert.Equal(1000, s.Batch);
        Assert.Equal(8, s.Inflight);
        Assert.Equal(TimeSpan.FromSeconds(60), s.Duration);
        Assert.Equal(TimeSpan.FromSeconds(5), s.Warmup);
        Assert.Equal(0, s.Rate);
        Assert.Equal([700, 150, 100, 50], s.Mix.CountsFor(1000));
    }

    [Fact]
    public void AllOptions_AreRead()
    {
        string[] args =
        [
            "--target", "http://127.0.0.1:51051", "--mode=grpc-unary", "--connections", "3", "--streams", "5", "--batch", "500",
            "--inflight", "16", "--duration", "15s", "--warmup", "500ms", "--rate", "1.5M", "--mix", "telemetry=1,security=1",
            "--report", "out/report", "--min-rate", "900k", "--max-p99-ms", "25.5", "--rest-url", "http://127.0.0.1:51080/api/v1/events",
            "--rest-http2", "--seed", "9", "--drain-timeout", "2m", "--plain",
        ];
        Assert.True(ScenarioParser.TryParse(args, out var s, out _, out var error), error);
        Assert.Equal("http://127.0.0.1:51051", s.Target);
        Assert.Equal(LoadMode.GrpcUnary, s.Mode);
        Assert.Equal(15, s.Senders);
        Assert.Equal(500, s.Batch);
        Assert.Equal(16, s.Inflight);
        Assert.Equal(TimeSpan.FromSeconds(15), s.Duration);
        Assert.Equal(TimeSpan.FromMilliseconds(500), s.Warmup);
        Assert.Equal(1_500_000, s.Rate);
        Assert.Equal([250, 250], s.Mix.CountsFor(500));
        Assert.Equal("out/report", s.ReportDirectory);
        Assert.Equal(900_000, s.MinRate);
        Assert.Equal(25.5, s.MaxP99Ms);
        Assert.True(s.RestHttp2);
        Assert.Equal(9, s.Seed);
        Assert.Equal(TimeSpan.FromMinutes(2), s.DrainTimeout);
        Assert.True(s.Plain);
    }

    [Theory]
    [InlineData("--connections", "0")]
    [InlineData("--batch", "x")]
    [InlineData("--mode", "carrier-pigeon")]
    [InlineData("--duration", "soon")]
    [InlineData("--mix", "telemetry=70,weather=30")]
    [InlineData("--target", "127.0.0.1:50051")]
    [InlineData("--max-p99-ms", "0")]
    [InlineData("--no-such-option", "1")]
    public void InvalidValues_AreRefusedWithTheOptionName(string option, string value)
    {
        Assert.False(ScenarioParser.TryParse([option, value], out _, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Theory]
    [InlineData("json", """{ "connections": 3, "streams": 2, "duration": "20s", "mix": "telemetry=100", "plain": true }""")]
    [InlineData("yaml", "connections: 3\nstreams: 2\nduration: 20s\nmix: telemetry=100\nplain: true\n")]
    public void ScenarioFile_IsReadAndTheCommandLineWins(string extension, string content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"lr-scenario-{Guid.NewGuid():N}.{extension}");
        File.WriteAllText(path, content);
        try
        {
            Assert.True(ScenarioParser.TryParse(["--streams", "7", "--scenario", path], out var s, out _, out var error), error);
            Assert.Equal(3, s.Connections);
            Assert.Equal(7, s.Streams);
            Assert.Equal(TimeSpan.FromSeconds(20), s.Duration);
            Assert.Equal([10], s.Mix.CountsFor(10));
            Assert.True(s.Plain);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(1000, new[] { 700, 150, 100, 50 })]
    [InlineData(7, new[] { 5, 1, 1, 0 })]
    [InlineData(1, new[] { 1, 0, 0, 0 })]
    public void DefaultMix_CountsAddUpToTheBatch(int batch, int[] expected)
    {
        Assert.Equal(expected, EventMix.Default.CountsFor(batch));
    }
}
