using AnalyticsHub.LoadRunner.Campaign;
using AnalyticsHub.LoadRunner.Scenario;

namespace AnalyticsHub.LoadRunner.Tests.Campaign;

public sealed class CampaignParserTests : IDisposable
{
    private const string Body = """{"metric":"llm.request.latency","time_range":"last 24h","aggregation":{"functions":["p99"],"time_bucket":"1h","group_by":["model"]}}""";

    private const string Yaml = """
        name: equiv
        description: the same campaign in both formats
        target: http://127.0.0.1:51051
        query-url: http://127.0.0.1:51080/api/v1/query
        metrics-url: http://127.0.0.1:51090/metrics
        report: out/equiv
        connections: 1
        streams: 2
        warmup: 2s
        max-errors: 0
        settle: 3s
        stages:
          - name: ramp
            description: up
            ramp-from: 10k
            rate: 100k
            duration: 10s
            min-rate: 80k
          - name: mixed
            rate: 50k
            max-p99-ms: 100
            query: [q1.json, q2.json]
            clients: 2
            query-rate: 20
            query-min-rate: 19
            query-max-p99-ms: 250.5
            rest-http2: true
          - name: queries
            mode: query
            query: q1.json
            clients: 8
            settle: 1s
          - name: rest
            mode: rest
            mix: security=50,policy=50
            batch: 100
            seed: 7
            time-spread: 24h
            models: 10
        """;

    private const string Json = """
        {
          "name": "equiv",
          "description": "the same campaign in both formats",
          "target": "http://127.0.0.1:51051",
          "query-url": "http://127.0.0.1:51080/api/v1/query",
          "metrics-url": "http://127.0.0.1:51090/metrics",
          "report": "out/equiv",
          "connections": 1,
          "streams": 2,
          "warmup": "2s",
          "max-errors": 0,
          "settle": "3s",
          "stages": [
            { "name": "ramp", "description": "up", "ramp-from": "10k", "rate": "100k", "duration": "10s", "min-rate": 80000 },
            {
              "name": "mixed", "rate": 50000, "max-p99-ms": 100, "query": ["q1.json", "q2.json"], "clients": 2,
              "query-rate": 20, "query-min-rate": 19, "query-max-p99-ms": 250.5, "rest-http2": true
            },
            { "name": "queries", "mode": "query", "query": "q1.json", "clients": 8, "settle": "1s" },
            { "name": "rest", "mode": "rest", "mix": "security=50,policy=50", "batch": 100, "seed": 7, "time-spread": "24h", "models": 10 }
          ]
        }
        """;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "lr-campaign-" + Guid.NewGuid().ToString("N"));

    public CampaignParserTests()
    {
        Directory.CreateDirectory(_directory);
        Write("q1.json", Body);
        Write("q2.json", Body);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static CampaignDefinition Parse(params string[] args)
    {
        Assert.True(CampaignParser.TryParse(args, out var campaign, out var help, out var error), error);
        Assert.False(help);
        Assert.Null(error);
        return campaign!;
    }

    private static string ParseError(params string[] args)
    {
        Assert.False(CampaignParser.TryParse(args, out var campaign, out _, out var error));
        Assert.Null(campaign);
        Assert.NotNull(error);
        return error;
    }

    /// <summary>Every field of a scenario, comparable (EventMix and the file list have no value equality).</summary>
    internal static string Describe(LoadScenario s) => string.Join(
        " | ",
        s.Target, s.Mode, s.Connections, s.Streams, s.Batch, s.Inflight, s.Duration, s.Warmup, s.Rate, s.RampFrom, s.Mix, s.ReportDirectory,
        s.MinRate, s.MaxP99Ms, s.MaxErrors, s.MetricsUrl, s.RestUrl, s.RestHttp2, s.Seed, s.DrainTimeout, s.Plain, s.TimeSpread, s.Models,
        s.QueryUrl, string.Join(",", s.QueryFiles), s.Clients);

    private static string Describe(CampaignStage s) =>
        $"{s.Name} [{s.Description}] settle {s.Settle}: {Describe(s.Load)} + {(s.Query is null ? "no query" : Describe(s.Query))}";

    [Fact]
    public void YamlAndJson_GiveTheSameCampaign()
    {
        var yaml = Parse("--campaign", Write("c.yaml", Yaml));
        var json = Parse("--campaign", Write("c.json", Json));

        Assert.Equal(4, yaml.Stages.Count);
        Assert.Equal(yaml.Stages.Select(Describe), json.Stages.Select(Describe));
        Assert.Equal((yaml.Name, yaml.Description, yaml.MetricsUrl, yaml.ReportDirectory, yaml.Plain), (json.Name, json.Description, json.MetricsUrl, json.ReportDirectory, json.Plain));
        Assert.Equal("equiv", yaml.Name);
        Assert.Equal("the same campaign in both formats", yaml.Description);
        Assert.Equal("http://127.0.0.1:51090/metrics", yaml.MetricsUrl);
        Assert.Equal("out/equiv", yaml.ReportDirectory);
        Assert.False(yaml.Plain);
        Assert.Equal(Path.Combine(_directory, "c.yaml"), yaml.File);
    }

    [Fact]
    public void Stages_TakeTopLevelOptions_AndTheirOwn()
    {
        var c = Parse("--campaign", Write("c.yaml", Yaml));
        Assert.Equal(["ramp", "mixed", "queries", "rest"], c.Stages.Select(s => s.Name));

        var ramp = c.Stages[0];
        Assert.Equal("up", ramp.Description);
        Assert.Equal(TimeSpan.FromSeconds(3), ramp.Settle);
        Assert.Equal(LoadMode.GrpcStream, ramp.Load.Mode);
        Assert.Equal("http://127.0.0.1:51051", ramp.Load.Target);
        Assert.Equal((1, 2), (ramp.Load.Connections, ramp.Load.Streams));
        Assert.Equal(TimeSpan.FromSeconds(2), ramp.Load.Warmup);
        Assert.Equal(TimeSpan.FromSeconds(10), ramp.Load.Duration);
        Assert.Equal((10_000.0, 100_000.0), (ramp.Load.RampFrom, ramp.Load.Rate));
        Assert.True(ramp.Load.IsRamp);
        Assert.Equal(80_000, ramp.Load.MinRate);
        Assert.Equal(0, ramp.Load.MaxErrors);
        Assert.Null(ramp.Load.MetricsUrl);        // scraped by the campaign, not by each run
        Assert.Null(ramp.Load.ReportDirectory);   // written by the campaign
        Assert.Null(ramp.Query);                  // the top-level query-url alone does not make a query run
        Assert.Empty(ramp.Load.QueryFiles);

        var rest = c.Stages[3];
        Assert.Equal(LoadMode.Rest, rest.Load.Mode);
        Assert.Equal("security=50,policy=50", rest.Load.Mix.ToString());
        Assert.Equal((100, 7, 10), (rest.Load.Batch, rest.Load.Seed, rest.Load.Models));
        Assert.Equal(TimeSpan.FromHours(24), rest.Load.TimeSpread);
        Assert.Equal(TimeSpan.FromSeconds(60), rest.Load.Duration); // the default
    }

    [Fact]
    public void MixedStage_QueryRunBeside_WithTheQueryKeysMapped()
    {
        var mixed = Parse("--campaign", Write("c.yaml", Yaml)).Stages[1];

        // Ingestion keeps rate, min-rate and max-p99-ms.
        Assert.Equal(LoadMode.GrpcStream, mixed.Load.Mode);
        Assert.Equal(50_000, mixed.Load.Rate);
        Assert.Null(mixed.Load.MinRate);
        Assert.Equal(100, mixed.Load.MaxP99Ms);
        Assert.Empty(mixed.Load.QueryFiles);
        Assert.True(mixed.Load.RestHttp2);

        // The query run: query-rate → rate, query-min-rate → min-rate, query-max-p99-ms → max-p99-ms.
        var q = Assert.IsType<LoadScenario>(mixed.Query);
        Assert.Equal(LoadMode.Query, q.Mode);
        Assert.Equal(20, q.Rate);
        Assert.Equal(19, q.MinRate);
        Assert.Equal(250.5, q.MaxP99Ms);
        Assert.Equal(2, q.Clients);
        Assert.Equal("http://127.0.0.1:51080/api/v1/query", q.QueryUrl);
        Assert.Equal([Path.Combine(_directory, "q1.json"), Path.Combine(_directory, "q2.json")], q.QueryFiles);

        // Shared with the ingestion: warmup, duration, max-errors, rest-http2; not the ingestion's own.
        Assert.Equal(TimeSpan.FromSeconds(2), q.Warmup);
        Assert.Equal(mixed.Load.Duration, q.Duration);
        Assert.Equal(0, q.MaxErrors);
        Assert.True(q.RestHttp2);
        Assert.Equal(0, q.RampFrom);
        Assert.Equal(new LoadScenario().Target, q.Target);
        Assert.Equal(new LoadScenario().Connections, q.Connections);

        Assert.Equal("constant 50,000 events/s, grpc-stream 1×2 + 2 query clients at 20 queries/s", mixed.Shape);
    }

    [Fact]
    public void QueryOnlyStage_IsTheQueryRunAlone()
    {
        var queries = Parse("--campaign", Write("c.yaml", Yaml)).Stages[2];

        Assert.Null(queries.Query);
        Assert.Equal(LoadMode.Query, queries.Load.Mode);
        Assert.Equal(8, queries.Load.Clients);
        Assert.Equal(0, queries.Load.Rate);
        Assert.Equal([Path.Combine(_directory, "q1.json")], queries.Load.QueryFiles);
        Assert.Equal(TimeSpan.FromSeconds(1), queries.Settle);
        Assert.Equal(0, queries.Load.MaxErrors);
        Assert.Equal("8 closed-loop query clients", queries.Shape);
    }

    [Fact]
    public void QueryOnlyStage_QueryRateAndThresholds_AreTheRunsOwn()
    {
        var file = Write("q.yaml", """
            stages:
              - name: q
                mode: query
                query: q1.json
                clients: 3
                rate: 999
                min-rate: 999
                query-rate: 50
                query-min-rate: 45
                query-max-p99-ms: 20
            """);
        var stage = Assert.Single(Parse("--campaign", file, "--rate-scale", "0.5").Stages);

        Assert.Equal(50, stage.Load.Rate);        // query-rate; rate is ingestion's, and --rate-scale scales ingestion only
        Assert.Equal(45, stage.Load.MinRate);
        Assert.Equal(20, stage.Load.MaxP99Ms);
        Assert.Equal("constant 50 queries/s", stage.Shape);
    }

    [Fact]
    public void Precedence_TopLevel_ThenStage_ThenCommandLine()
    {
        var file = Write("p.yaml", """
            duration: 60s
            batch: 500
            inflight: 4
            rate: 10k
            stages:
              - name: a
                duration: 30s
                batch: 250
              - name: b
            """);

        var fromFile = Parse("--campaign", file);
        Assert.Equal((TimeSpan.FromSeconds(30), 250, 4, 10_000.0), (fromFile.Stages[0].Load.Duration, fromFile.Stages[0].Load.Batch, fromFile.Stages[0].Load.Inflight, fromFile.Stages[0].Load.Rate));
        Assert.Equal((TimeSpan.FromSeconds(60), 500, 4, 10_000.0), (fromFile.Stages[1].Load.Duration, fromFile.Stages[1].Load.Batch, fromFile.Stages[1].Load.Inflight, fromFile.Stages[1].Load.Rate));

        var overridden = Parse("--campaign", file, "--duration", "3s", "--batch=10");
        Assert.All(overridden.Stages, s => Assert.Equal((TimeSpan.FromSeconds(3), 10, 4), (s.Load.Duration, s.Load.Batch, s.Load.Inflight)));
    }

    [Fact]
    public void CommandLine_QueryOptions_ApplyToTheQueryRuns()
    {
        var c = Parse("--campaign", Write("c.yaml", Yaml), "--query-rate", "5", "--clients", "1", "--query-url", "http://127.0.0.1:1/q");
        Assert.Equal((5.0, 1, "http://127.0.0.1:1/q"), (c.Stages[1].Query!.Rate, c.Stages[1].Query!.Clients, c.Stages[1].Query!.QueryUrl));
        Assert.Equal((5.0, 1, "http://127.0.0.1:1/q"), (c.Stages[2].Load.Rate, c.Stages[2].Load.Clients, c.Stages[2].Load.QueryUrl));
        Assert.Equal(50_000, c.Stages[1].Load.Rate); // not the ingestion's
    }

    [Fact]
    public void RateScale_ScalesIngestionRateRampFromAndMinRate_NotQueries()
    {
        var c = Parse("--campaign", Write("c.yaml", Yaml), "--rate-scale", "0.02");

        var ramp = c.Stages[0].Load;
        Assert.Equal(200, ramp.RampFrom, 9);
        Assert.Equal(2_000, ramp.Rate, 9);
        Assert.Equal(1_600, ramp.MinRate!.Value, 9);
        Assert.Equal("ramp 200 → 2,000 events/s, grpc-stream 1×2", c.Stages[0].Shape);

        var mixed = c.Stages[1];
        Assert.Equal(1_000, mixed.Load.Rate, 9);
        Assert.Null(mixed.Load.MinRate);
        Assert.Equal(100, mixed.Load.MaxP99Ms); // latency is not scaled
        Assert.Equal((20.0, 19.0), (mixed.Query!.Rate, mixed.Query.MinRate));
        Assert.Equal(0, c.Stages[3].Load.Rate); // unpaced stays unpaced
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("101")]
    [InlineData("NaN")]
    [InlineData("half")]
    public void RateScale_OutOfRange_IsRefused(string value)
    {
        var error = ParseError("--campaign", Write("c.yaml", Yaml), "--rate-scale", value);
        Assert.Equal($"--rate-scale: '{value}' is not a factor in (0, 100]", error);
    }

    [Fact]
    public void StageFilter_KeepsTheNamedStagesInFileOrder()
    {
        var c = Parse("--campaign", Write("c.yaml", Yaml), "--stage", "rest, ramp", "--stage=queries");
        Assert.Equal(["ramp", "queries", "rest"], c.Stages.Select(s => s.Name));
    }

    [Fact]
    public void StageFilter_UnknownName_IsRefusedWithTheStagesListed()
    {
        var error = ParseError("--campaign", Write("c.yaml", Yaml), "--stage", "ramp,nope");
        Assert.Equal("--stage: no stage is named 'nope' (stages: ramp, mixed, queries, rest)", error);
    }

    [Fact]
    public void Settle_CommandLineOverridesStageAndTopLevel()
    {
        var fromFile = Parse("--campaign", Write("c.yaml", Yaml));
        Assert.Equal([3.0, 3.0, 1.0, 3.0], fromFile.Stages.Select(s => s.Settle.TotalSeconds));

        var overridden = Parse("--campaign", Write("c.yaml", Yaml), "--settle", "500ms");
        Assert.All(overridden.Stages, s => Assert.Equal(TimeSpan.FromMilliseconds(500), s.Settle));

        var none = Parse("--campaign", Write("n.yaml", "stages:\n  - name: a\n"));
        Assert.Equal(TimeSpan.Zero, Assert.Single(none.Stages).Settle);
    }

    [Fact]
    public void QueryFiles_AreRelativeToTheCampaignFile()
    {
        var body = Write("queries/deep.json", Body);
        var file = Write("campaigns/sub/c.yaml", $"""
            query-url: http://127.0.0.1:51080/api/v1/query
            stages:
              - name: m
                rate: 1k
                query: ../../queries/deep.json
              - name: abs
                mode: query
                query:
                  - ../../q1.json
                  - {Path.Combine(_directory, "q2.json")}
            """);

        var c = Parse("--campaign", file);

        Assert.Equal([Path.GetFullPath(body)], c.Stages[0].Query!.QueryFiles);
        Assert.Equal([Path.Combine(_directory, "q1.json"), Path.Combine(_directory, "q2.json")], c.Stages[1].Load.QueryFiles);
    }

    [Fact]
    public void QueryFile_MissingOrNotAnObject_NamesTheStage()
    {
        Write("array.json", "[1,2]");
        var missing = Write("m.yaml", "stages:\n  - name: mix\n    rate: 1k\n    query: nothere.json\n");
        var error = ParseError("--campaign", missing);
        Assert.StartsWith($"--campaign {missing}, stage 'mix': query run: --query: '{Path.Combine(_directory, "nothere.json")}'", error, StringComparison.Ordinal);

        var array = Write("a.yaml", "stages:\n  - name: q\n    mode: query\n    query: array.json\n");
        error = ParseError("--campaign", array);
        Assert.Equal($"--campaign {array}, stage 'q': --query: '{Path.Combine(_directory, "array.json")}' must hold one JSON object (a query body)", error);
    }

    [Fact]
    public void CampaignOptions_FromTheCommandLine_WinOverTheFile()
    {
        var c = Parse("--campaign", Write("c.yaml", Yaml), "--report", "elsewhere", "--metrics-url", "http://127.0.0.1:1/metrics", "--plain");
        Assert.Equal("elsewhere", c.ReportDirectory);
        Assert.Equal("http://127.0.0.1:1/metrics", c.MetricsUrl);
        Assert.True(c.Plain);
        Assert.All(c.Stages, s => Assert.Null(s.Load.ReportDirectory));
    }

    [Fact]
    public void NameAndDescription_DefaultToTheFileNameAndNothing_StagesToTheirPosition()
    {
        var c = Parse("--campaign", Write("nightly.yml", "stages:\n  - rate: 1k\n  - name: second\n  - duration: 2s\n"));
        Assert.Equal("nightly", c.Name);
        Assert.Equal("", c.Description);
        Assert.Null(c.MetricsUrl);
        Assert.Null(c.ReportDirectory);
        Assert.Equal(["stage-1", "second", "stage-3"], c.Stages.Select(s => s.Name));
        Assert.All(c.Stages, s => Assert.Equal("", s.Description));
    }

    [Fact]
    public void Help_IsReported()
    {
        Assert.True(CampaignParser.TryParse(["--campaign", "whatever.yaml", "--help"], out var campaign, out var help, out var error));
        Assert.True(help);
        Assert.Null(campaign);
        Assert.Null(error);
    }

    [Fact]
    public void Errors_NameTheFileStageAndKey()
    {
        var dup = Write("dup.yaml", "stages:\n  - name: a\n  - name: a\n");
        Assert.Equal($"--campaign {dup}: two stages are named 'a'", ParseError("--campaign", dup));

        var dupDefault = Write("dup2.yaml", "stages:\n  - rate: 1k\n  - name: stage-1\n");
        Assert.Equal($"--campaign {dupDefault}: two stages are named 'stage-1'", ParseError("--campaign", dupDefault));

        var none = Write("none.yaml", "stages: []\n");
        Assert.Equal($"--campaign {none}: no stages", ParseError("--campaign", none));
        var noKey = Write("nokey.yaml", "rate: 1k\n");
        Assert.Equal($"--campaign {noKey}: no stages", ParseError("--campaign", noKey));

        var unknownTop = Write("ut.yaml", "speed: 3\nstages:\n  - name: a\n");
        Assert.Equal($"--campaign {unknownTop}: unknown key 'speed'", ParseError("--campaign", unknownTop));

        var unknownStage = Write("us.yaml", "stages:\n  - name: a\n  - name: b\n    rat: 1k\n");
        Assert.Equal($"--campaign {unknownStage}: stage 2: unknown key 'rat'", ParseError("--campaign", unknownStage));

        foreach (var key in new[] { "metrics-url: http://127.0.0.1:9/metrics", "report: out", "plain: true" })
        {
            var campaignKey = Write("ck.yaml", $"stages:\n  - name: a\n    {key}\n");
            var name = key[..key.IndexOf(':', StringComparison.Ordinal)];
            Assert.Equal($"--campaign {campaignKey}: stage 1: '{name}' is a campaign option (top level), not a stage's", ParseError("--campaign", campaignKey));
        }

        var badValue = Write("bv.yaml", "stages:\n  - name: a\n  - name: b\n    rate: fast\n");
        Assert.Equal($"--campaign {badValue}, stage 'b': --rate: 'fast' is not a non-negative number (1M, 500k, 250000)", ParseError("--campaign", badValue));

        var badSettle = Write("bs.yaml", "stages:\n  - name: a\n    settle: soon\n");
        Assert.Equal($"--campaign {badSettle}, stage 'a': settle: 'soon' is not a duration (10s, 1m)", ParseError("--campaign", badSettle));

        var rampWithoutRate = Write("rr.yaml", "stages:\n  - name: r\n    ramp-from: 1k\n");
        Assert.Equal($"--campaign {rampWithoutRate}, stage 'r': --ramp-from needs --rate (where the ramp ends)", ParseError("--campaign", rampWithoutRate));

        var queryWithoutFile = Write("qf.yaml", "stages:\n  - name: q\n    mode: query\n");
        Assert.Equal($"--campaign {queryWithoutFile}, stage 'q': --mode query needs --query FILE (a JSON query body)", ParseError("--campaign", queryWithoutFile));

        var badMetrics = Write("bm.yaml", "metrics-url: localhost:9090\nstages:\n  - name: a\n");
        Assert.Equal("--metrics-url: 'localhost:9090' is not an http:// or https:// URL", ParseError("--campaign", badMetrics));
    }

    [Fact]
    public void Errors_FileLevel()
    {
        var missing = Path.Combine(_directory, "missing.yaml");
        Assert.StartsWith($"--campaign: cannot read '{missing}': ", ParseError("--campaign", missing), StringComparison.Ordinal);

        var notMap = Write("list.yaml", "- a\n- b\n");
        Assert.StartsWith($"--campaign {notMap}: the file must hold one YAML mapping", ParseError("--campaign", notMap), StringComparison.Ordinal);

        var badYaml = Write("bad.yaml", "stages: [\n");
        Assert.StartsWith($"--campaign {badYaml}: ", ParseError("--campaign", badYaml), StringComparison.Ordinal);

        var badJson = Write("bad.json", "{\"stages\": [");
        Assert.StartsWith($"--campaign {badJson}: ", ParseError("--campaign", badJson), StringComparison.Ordinal);

        var jsonArray = Write("arr.json", "[]");
        Assert.StartsWith($"--campaign {jsonArray}: the file must hold one JSON object", ParseError("--campaign", jsonArray), StringComparison.Ordinal);

        var stageNotMap = Write("snm.yaml", "stages:\n  - name: a\n  - just-a-string\n");
        Assert.Equal($"--campaign {stageNotMap}: stage 2 must be a mapping of options", ParseError("--campaign", stageNotMap));

        var nested = Write("nested.yaml", "stages:\n  - name: a\n    rate:\n      value: 1k\n");
        Assert.Equal($"--campaign {nested}: 'rate' must be a scalar value or a list of them", ParseError("--campaign", nested));

        var jsonNested = Write("nested.json", """{"stages": [{"name": "a", "rate": {"v": 1}}]}""");
        Assert.Equal($"--campaign {jsonNested}: 'rate' must be a string, number, boolean or a list of strings", ParseError("--campaign", jsonNested));
    }

    [Fact]
    public void Errors_CommandLine()
    {
        Assert.Equal("--campaign needs a file", ParseError("--duration", "3s"));
        Assert.Equal("--campaign needs a value", ParseError("--campaign"));
        Assert.Equal("--scenario and --campaign do not mix: a campaign file holds the options", ParseError("--campaign", "c.yaml", "--scenario", "s.yaml"));
        Assert.Equal("unknown option '--bogus' (see --help)", ParseError("--campaign", "c.yaml", "--bogus", "1"));
        Assert.Equal("unexpected argument 'c.yaml' (options start with --; see --help)", ParseError("c.yaml"));
    }

    [Fact]
    public void FalseValues_SwitchFlagsOff()
    {
        var c = Parse("--campaign", Write("f.yaml", "plain: false\nstages:\n  - name: a\n    rest-http2: false\n"));
        Assert.False(c.Plain);
        Assert.False(Assert.Single(c.Stages).Load.RestHttp2);
    }

    [Fact]
    public void StageFalse_OverridesTopLevelTrue()
    {
        var c = Parse("--campaign", Write("f.yaml", "rest-http2: true\nstages:\n  - name: a\n    rest-http2: false\n  - name: b\n"));
        Assert.False(c.Stages[0].Load.RestHttp2);
        Assert.True(c.Stages[1].Load.RestHttp2);
    }

    [Fact]
    public void StageQuery_ReplacesTopLevelQuery_AndTheCommandLineReplacesBoth()
    {
        var file = Write("ql.yaml", "query: q1.json\nstages:\n  - name: a\n    rate: 1k\n    query: q2.json\n  - name: b\n    rate: 1k\n");
        var c = Parse("--campaign", file);
        Assert.Equal([Path.Combine(_directory, "q2.json")], c.Stages[0].Query!.QueryFiles);
        Assert.Equal([Path.Combine(_directory, "q1.json")], c.Stages[1].Query!.QueryFiles);

        var cli = Write("cli.json", Body);
        var overridden = Parse("--campaign", file, "--query", cli);
        Assert.All(overridden.Stages, s => Assert.Equal([cli], s.Query!.QueryFiles));
    }
}
