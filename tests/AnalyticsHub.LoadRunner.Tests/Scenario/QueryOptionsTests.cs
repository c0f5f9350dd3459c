using AnalyticsHub.LoadRunner.Scenario;

namespace AnalyticsHub.LoadRunner.Tests.Scenario;

public sealed class QueryOptionsTests : IDisposable
{
    private const string Body = """{"metric":"llm.request.latency","time_range":"last 24h","aggregation":{"functions":["p99"],"time_bucket":"1m","group_by":["model"]}}""";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "lr-query-" + Guid.NewGuid().ToString("N"));

    public QueryOptionsTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void QueryMode_Defaults()
    {
        var file = Write("q.json", Body);
        Assert.True(ScenarioParser.TryParse(["--mode", "query", "--query", file], out var s, out _, out var error), error);
        Assert.Equal(LoadMode.Query, s.Mode);
        Assert.Equal("query", s.ModeName);
        Assert.Equal("http://127.0.0.1:8080/api/v1/query", s.QueryUrl);
        Assert.Equal(16, s.Clients);
        Assert.Equal([file], s.QueryFiles);
        Assert.False(s.RestHttp2);
    }

    [Fact]
    public void QueryMode_AllOptions_AreRead()
    {
        var a = Write("a.json", Body);
        var b = Write("b.json", Body);
        var c = Write("c.json", Body);
        string[] args =
        [
            "--mode=query", "--query-url", "http://127.0.0.1:51080/api/v1/query", "--query", a, "--query", $"{b},{c}",
            "--clients", "32", "--rest-http2", "--duration", "30s", "--warmup", "2s", "--rate", "200", "--max-p99-ms", "10", "--min-rate", "50",
        ];
        Assert.True(ScenarioParser.TryParse(args, out var s, out _, out var error), error);
        Assert.Equal("http://127.0.0.1:51080/api/v1/query", s.QueryUrl);
        Assert.Equal([a, b, c], s.QueryFiles);
        Assert.Equal(32, s.Clients);
        Assert.True(s.RestHttp2);
        Assert.Equal(TimeSpan.FromSeconds(30), s.Duration);
        Assert.Equal(200, s.Rate);
        Assert.Equal(10, s.MaxP99Ms);
        Assert.Equal(50, s.MinRate);
    }

    [Fact]
    public void ScenarioFile_QueryList_IsReplacedByTheCommandLine()
    {
        var a = Write("a.json", Body);
        var b = Write("b.json", Body);
        var yaml = Write("s.yaml", $"mode: query\nquery: {a}\nclients: 4\n");
        Assert.True(ScenarioParser.TryParse(["--scenario", yaml], out var fromFile, out _, out var error), error);
        Assert.Equal([a], fromFile.QueryFiles);
        Assert.Equal(4, fromFile.Clients);

        Assert.True(ScenarioParser.TryParse(["--scenario", yaml, "--query", b], out var s, out _, out error), error);
        Assert.Equal([b], s.QueryFiles);
    }

    [Fact]
    public void QueryMode_WithoutQuery_IsRefused()
    {
        Assert.False(ScenarioParser.TryParse(["--mode", "query"], out _, out _, out var error));
        Assert.Contains("--query", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Query_InAnIngestionMode_IsRefused()
    {
        var file = Write("q.json", Body);
        Assert.False(ScenarioParser.TryParse(["--query", file], out _, out _, out var error));
        Assert.Contains("only for --mode query", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing.json", null)]
    [InlineData("broken.json", "{\"metric\": ")]
    [InlineData("array.json", "[1, 2]")]
    public void Query_FileMissingOrNotAJsonObject_IsRefusedWithItsName(string name, string? content)
    {
        var path = content is null ? Path.Combine(_directory, name) : Write(name, content);
        Assert.False(ScenarioParser.TryParse(["--mode", "query", "--query", path], out _, out _, out var error));
        Assert.Contains(name, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--clients", "0")]
    [InlineData("--query-url", "localhost:8080/api/v1/query")]
    public void InvalidQueryValues_AreRefused(string option, string value)
    {
        var file = Write("q.json", Body);
        Assert.False(ScenarioParser.TryParse(["--mode", "query", "--query", file, option, value], out _, out _, out var error));
        Assert.StartsWith(option, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("24h", 24 * 3600.0)]
    [InlineData("7d", 7 * 86400.0)]
    [InlineData("167h", 167 * 3600.0)]
    [InlineData("90m", 5400.0)]
    public void TimeSpread_IsADuration(string text, double seconds)
    {
        Assert.True(ScenarioParser.TryParse(["--time-spread", text, "--models", "50"], out var s, out _, out var error), error);
        Assert.Equal(TimeSpan.FromSeconds(seconds), s.TimeSpread);
        Assert.Equal(50, s.Models);
    }

    [Fact]
    public void TimeSpreadAndModels_Defaults_AreNowAndFourModels()
    {
        Assert.True(ScenarioParser.TryParse([], out var s, out _, out var error), error);
        Assert.Equal(TimeSpan.Zero, s.TimeSpread);
        Assert.Equal(4, s.Models);
    }

    [Theory]
    [InlineData("--time-spread", "soon")]
    [InlineData("--time-spread", "401d")]
    [InlineData("--models", "0")]
    [InlineData("--models", "10001")]
    public void InvalidSpreadOrModels_AreRefused(string option, string value)
    {
        Assert.False(ScenarioParser.TryParse([option, value], out _, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }
}
