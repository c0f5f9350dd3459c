using System.Globalization;
using System.Text.Json;
using AnalyticsHub.LoadRunner.Scenario;

namespace AnalyticsHub.LoadRunner.Campaign;

/// <summary>
/// <c>--campaign FILE</c> and the command line → <see cref="CampaignDefinition"/>. Each stage is the
/// file's top-level options, then the stage's own, then the command line's (so <c>--duration 3s</c>
/// shortens every stage). In a stage, <c>rate</c>, <c>min-rate</c> and <c>max-p99-ms</c> always
/// describe ingestion; a query run beside it is described by <c>query</c>, <c>clients</c>,
/// <c>query-url</c>, <c>query-rate</c>, <c>query-min-rate</c> and <c>query-max-p99-ms</c>; a
/// stage with <c>mode: query</c> runs only that query run.
/// </summary>
public static class CampaignParser
{
    /// <summary>Keys that describe the query run of a stage (mixed or query-only).</summary>
    private static readonly HashSet<string> QueryKeys = new(StringComparer.Ordinal)
    {
        "query", "clients", "query-url", "query-rate", "query-min-rate", "query-max-p99-ms",
    };

    /// <summary>Keys that apply to both runs of a mixed stage.</summary>
    private static readonly HashSet<string> SharedKeys = new(StringComparer.Ordinal)
    {
        "warmup", "duration", "drain-timeout", "seed", "rest-http2", "max-errors",
    };

    /// <summary>Keys about the whole campaign: top level or command line, not in a stage.</summary>
    private static readonly HashSet<string> CampaignKeys = new(StringComparer.Ordinal)
    {
        "metrics-url", "report", "plain",
    };

    /// <summary>Keys a stage may carry besides run options.</summary>
    private static readonly HashSet<string> StageKeys = new(StringComparer.Ordinal) { "name", "description", "settle" };

    /// <summary>Command-line options of campaign mode.</summary>
    private static readonly HashSet<string> CommandLineKeys = new(ScenarioParser.Known.Concat(QueryKeys).Concat(["campaign", "rate-scale", "stage", "settle"]), StringComparer.Ordinal);

    public const string Usage = """
        AnalyticsHub.LoadRunner --campaign FILE [options] — stages from a YAML or JSON file, one report.

          --campaign FILE       the campaign (see loadtest/campaigns/README.md for the format)
          --report DIR          write DIR/campaign.{md,json,html} and every stage's report under DIR/NN-stage/
          --metrics-url URL     the hub's /metrics, scraped before and after every stage
          --stage NAME[,NAME]   run only these stages
          --settle T            the pause between stages (overrides the file's)
          --rate-scale F        multiply every stage's ingestion rate, ramp start and min-rate by F
                                (a reduced run: --rate-scale 0.05 --duration 3s --warmup 1s)
          any run option        (--target, --duration, --warmup, --query-url, ...) overrides it in every stage

        Exit codes: 0 every stage met its thresholds, 1 a threshold unmet, 2 invalid options or file,
        3 a stage had nothing acknowledged (or answered).
        """;

    public static bool TryParse(IReadOnlyList<string> args, out CampaignDefinition? campaign, out bool help, out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        campaign = null;
        help = false;
        if (!ScenarioParser.TryReadPairs(args, CommandLineKeys, out var cli, out error))
        {
            return false;
        }

        if (cli.Exists(p => p.Key == "help"))
        {
            help = true;
            return true;
        }

        if (cli.Exists(p => p.Key == "scenario"))
        {
            error = "--scenario and --campaign do not mix: a campaign file holds the options";
            return false;
        }

        var path = cli.FindLast(p => p.Key == "campaign").Value;
        if (string.IsNullOrEmpty(path))
        {
            error = "--campaign needs a file";
            return false;
        }

        CampaignFile file;
        try
        {
            file = CampaignFile.Read(path, File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"--campaign: cannot read '{path}': {e.Message}";
            return false;
        }
        catch (Exception e) when (e is JsonException or YamlDotNet.Core.YamlException or FormatException)
        {
            error = $"--campaign {path}: {e.Message}";
            return false;
        }

        if (!TryCheckKeys(path, file, out error) || !TryRateScale(cli, out var rateScale, out error))
        {
            return false;
        }

        file = RelativeToFile(file, Path.GetDirectoryName(Path.GetFullPath(path))!);

        var top = file.Options;
        var campaignOptions = top.Where(p => CampaignKeys.Contains(p.Key)).Concat(cli.Where(p => CampaignKeys.Contains(p.Key))).ToList();
        var overrides = cli.Where(p => !CampaignKeys.Contains(p.Key) && p.Key is not ("campaign" or "rate-scale" or "stage" or "settle")).ToList();
        var defaults = top.Where(p => !CampaignKeys.Contains(p.Key) && !StageKeys.Contains(p.Key)).ToList();
        var only = cli.Where(p => p.Key == "stage").SelectMany(p => p.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal);

        var stages = new List<CampaignStage>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var cliSettle = cli.LastOrDefault(p => p.Key == "settle").Value;
        var topSettle = top.LastOrDefault(p => p.Key == "settle").Value;
        for (var i = 0; i < file.Stages.Count; i++)
        {
            var own = file.Stages[i];
            var name = own.LastOrDefault(p => p.Key == "name").Value ?? $"stage-{i + 1}";
            if (!names.Add(name))
            {
                error = $"--campaign {path}: two stages are named '{name}'";
                return false;
            }

            if (!TryBuildStage(name, own, defaults, overrides, rateScale, cliSettle, topSettle, out var stage, out error))
            {
                error = $"--campaign {path}, stage '{name}': {error}";
                return false;
            }

            if (only.Count == 0 || only.Contains(name))
            {
                stages.Add(stage);
            }
        }

        if (file.Stages.Count == 0)
        {
            error = $"--campaign {path}: no stages";
            return false;
        }

        if (only.Except(names).FirstOrDefault() is { } unknown)
        {
            error = $"--stage: no stage is named '{unknown}' (stages: {string.Join(", ", names)})";
            return false;
        }

        var metricsUrl = campaignOptions.LastOrDefault(p => p.Key == "metrics-url").Value;
        if (metricsUrl is not null && !(Uri.TryCreate(metricsUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            error = $"--metrics-url: '{metricsUrl}' is not an http:// or https:// URL";
            return false;
        }

        campaign = new CampaignDefinition(
            top.LastOrDefault(p => p.Key == "name").Value ?? Path.GetFileNameWithoutExtension(path),
            top.LastOrDefault(p => p.Key == "description").Value ?? "",
            path,
            stages,
            metricsUrl,
            campaignOptions.LastOrDefault(p => p.Key == "report").Value,
            campaignOptions.LastOrDefault(p => p.Key == "plain").Value is { } plain && !string.Equals(plain, "false", StringComparison.OrdinalIgnoreCase) && plain != "0");
        return true;
    }

    private static bool TryBuildStage(
        string name,
        IReadOnlyList<KeyValuePair<string, string>> own,
        List<KeyValuePair<string, string>> defaults,
        List<KeyValuePair<string, string>> overrides,
        double rateScale,
        string? cliSettle,
        string? topSettle,
        out CampaignStage stage,
        out string? error)
    {
        stage = null!;
        var all = WithoutReplacedLists([defaults, [.. own.Where(p => !StageKeys.Contains(p.Key))], overrides]);
        var queryOnly = all.LastOrDefault(p => p.Key == "mode").Value is "query";
        var mixed = !queryOnly && all.Exists(p => p.Key == "query");

        LoadScenario? query = null;
        if (queryOnly || mixed)
        {
            var queryPairs = all.Where(p => SharedKeys.Contains(p.Key) || QueryKeys.Contains(p.Key)).Select(QueryOption).Prepend(new("mode", "query"));
            if (!ScenarioParser.TryBuild(queryPairs, out var built, out error))
            {
                error = (mixed ? "query run: " : "") + error;
                return false;
            }

            query = built;
        }

        LoadScenario load;
        if (queryOnly)
        {
            load = query!;
            query = null;
        }
        else if (!ScenarioParser.TryBuild(all.Where(p => !QueryKeys.Contains(p.Key)), out load, out error))
        {
            return false;
        }
        else
        {
            load = load with { Rate = load.Rate * rateScale, RampFrom = load.RampFrom * rateScale, MinRate = load.MinRate * rateScale };
        }

        var settleText = cliSettle ?? own.LastOrDefault(p => p.Key == "settle").Value ?? topSettle;
        var settle = TimeSpan.Zero;
        if (settleText is not null && !ScenarioParser.TryParseDuration(settleText, out settle))
        {
            error = $"settle: '{settleText}' is not a duration (10s, 1m)";
            return false;
        }

        stage = new CampaignStage(name, own.LastOrDefault(p => p.Key == "description").Value ?? "", load, query, settle);
        error = null;
        return true;
    }

    /// <summary>
    /// The sources' pairs in order (top level, stage, command line), except that a list option
    /// (<c>query</c>) is taken only from the last source that names it: a stage's query files
    /// replace the top level's, the command line's replace both, as for a single run.
    /// </summary>
    private static List<KeyValuePair<string, string>> WithoutReplacedLists(IReadOnlyList<IReadOnlyList<KeyValuePair<string, string>>> sources)
    {
        var last = -1;
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i].Any(p => p.Key == "query"))
            {
                last = i;
            }
        }

        return [.. sources.SelectMany((pairs, i) => pairs.Where(p => p.Key != "query" || i == last))];
    }

    /// <summary>Query files named in the campaign file are relative to it (those on the command line to the working directory).</summary>
    private static CampaignFile RelativeToFile(CampaignFile file, string directory)
    {
        KeyValuePair<string, string> Resolve(KeyValuePair<string, string> pair) => pair.Key != "query" ? pair
            : new(pair.Key, string.Join(',', pair.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(f => Path.GetFullPath(f, directory))));
        return new CampaignFile([.. file.Options.Select(Resolve)], [.. file.Stages.Select(s => (IReadOnlyList<KeyValuePair<string, string>>)[.. s.Select(Resolve)])]);
    }

    /// <summary>query-rate → rate, query-min-rate → min-rate, query-max-p99-ms → max-p99-ms (the query run's own names).</summary>
    private static KeyValuePair<string, string> QueryOption(KeyValuePair<string, string> pair) => pair.Key switch
    {
        "query-rate" => new("rate", pair.Value),
        "query-min-rate" => new("min-rate", pair.Value),
        "query-max-p99-ms" => new("max-p99-ms", pair.Value),
        _ => pair,
    };

    private static bool TryCheckKeys(string path, CampaignFile file, out string? error)
    {
        error = null;
        var runKeys = ScenarioParser.Known.Where(k => k is not ("scenario" or "help" or "report" or "metrics-url" or "plain")).Concat(QueryKeys).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, _) in file.Options)
        {
            if (!runKeys.Contains(key) && !CampaignKeys.Contains(key) && !StageKeys.Contains(key))
            {
                error = $"--campaign {path}: unknown key '{key}'";
                return false;
            }
        }

        for (var i = 0; i < file.Stages.Count; i++)
        {
            foreach (var (key, _) in file.Stages[i])
            {
                if (!runKeys.Contains(key) && !StageKeys.Contains(key))
                {
                    error = CampaignKeys.Contains(key)
                        ? $"--campaign {path}: stage {i + 1}: '{key}' is a campaign option (top level), not a stage's"
                        : $"--campaign {path}: stage {i + 1}: unknown key '{key}'";
                    return false;
                }
            }
        }

        return true;
    }

    private static bool TryRateScale(List<KeyValuePair<string, string>> cli, out double scale, out string? error)
    {
        scale = 1;
        error = null;
        var text = cli.LastOrDefault(p => p.Key == "rate-scale").Value;
        if (text is null)
        {
            return true;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out scale) || !double.IsFinite(scale) || scale <= 0 || scale > 100)
        {
            error = $"--rate-scale: '{text}' is not a factor in (0, 100]";
            return false;
        }

        return true;
    }
}
