using System.Globalization;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace AnalyticsHub.LoadRunner.Scenario;

/// <summary>
/// Command line (<c>--name value</c> or <c>--name=value</c>) and scenario file → <see cref="LoadScenario"/>.
/// A scenario file (<c>--scenario file.json|yaml</c>) is a flat map of the same option names without
/// the dashes; options given on the command line override it.
/// </summary>
public static class ScenarioParser
{
    /// <summary>Options that take no value.</summary>
    internal static readonly HashSet<string> Flags = new(StringComparer.Ordinal) { "rest-http2", "plain", "help" };

    internal static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "target", "mode", "connections", "streams", "batch", "inflight", "duration", "warmup", "rate", "mix",
        "report", "min-rate", "max-p99-ms", "rest-url", "rest-http2", "seed", "drain-timeout", "plain", "scenario", "help",
        "time-spread", "models", "query-url", "query", "clients", "ramp-from", "max-errors", "metrics-url",
    };

    /// <summary>Options that may be given more than once (their values add up; the command line replaces the file's).</summary>
    private static readonly HashSet<string> Lists = new(StringComparer.Ordinal) { "query" };

    private static readonly TimeSpan MaxTimeSpread = TimeSpan.FromDays(400);

    public const string Usage = """
        AnalyticsHub.LoadRunner — load campaigns against the hub's ingestion endpoints.

        Usage: AnalyticsHub.LoadRunner [options]

          --target URL          gRPC address (default http://127.0.0.1:50051)
          --mode MODE           grpc-stream (default) | grpc-unary | rest | query
          --connections C       HTTP/2 connections, one GrpcChannel/HttpClient each (default 2)
          --streams S           senders per connection: streams, or producers of unary calls (default 4)
          --batch N             events per batch (default 1000)
          --inflight W          unacknowledged batches per sender (default 8)
          --duration T          measured time after the warmup: 60s, 500ms, 2m (default 60s)
          --warmup T            time before measuring (default 5s)
          --rate R              target events/s over all senders, 0 = as fast as acks allow (1M, 500k; default 0)
          --mix SPEC            kind=weight,...: telemetry, cost, policy, security
                                (default telemetry=70,cost=15,policy=10,security=5)
          --report DIR          write DIR/report.md and DIR/report.json
          --ramp-from R         ramp: offer R events/s first and move linearly to --rate over the measured time
          --min-rate R          fail (exit 1) when the median steady-state events/s is below R
                                (a ramp: when the highest offered rate it kept up with is below R)
          --max-p99-ms X        fail (exit 1) when the steady-state p99 ack latency is above X ms
          --max-errors N        fail (exit 1) when more than N batches (queries) failed over the run
          --metrics-url URL     the hub's Prometheus /metrics: scraped before and after, deltas in the report
          --rest-url URL        REST endpoint for --mode rest (default http://127.0.0.1:8080/api/v1/events)
          --rest-http2          REST (and query) requests over h2c (prior knowledge) instead of HTTP/1.1
          --seed N              seed of the event contents (default 1); ids are random per run
          --time-spread T       event times uniform over the past T (24h, 167h) instead of all "now" (default 0);
                                a default hub accepts events up to 7 days old
          --models N            distinct model names in the events (default 4)

        Query mode (--mode query): closed-loop clients POSTing query bodies; latency is send → last byte.
          --query-url URL       query endpoint (default http://127.0.0.1:8080/api/v1/query)
          --query FILE          a JSON query body; repeat (or FILE,FILE) to rotate several
          --clients N           concurrent clients, each waiting for its answer before asking again (default 16)
                                (--rate R paces all clients to R queries/s; --min-rate and --max-p99-ms
                                apply to answered queries/s and query latency)
          --drain-timeout T     wait for outstanding acks after the run (default 10s)
          --plain               plain progress lines even on a terminal
          --scenario FILE       read options from a JSON or YAML map (keys without dashes); the command line wins
          --campaign FILE       run a campaign: stages from a YAML or JSON file (loadtest/campaigns/README.md)
          --help                this text

        Exit codes: 0 all thresholds met, 1 a threshold unmet, 2 invalid options, 3 no batch acknowledged (no query answered).
        """;

    /// <summary>Parses <paramref name="args"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(IReadOnlyList<string> args, out LoadScenario scenario, out bool help, out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        scenario = new LoadScenario();
        help = false;
        if (!TryReadPairs(args, Known, out var pairs, out error))
        {
            return false;
        }

        if (pairs.Exists(p => p.Key == "help"))
        {
            help = true;
            return true;
        }

        var file = pairs.FindLast(p => p.Key == "scenario").Value;
        if (file is not null)
        {
            if (!TryReadScenarioFile(file, out var filePairs, out error))
            {
                return false;
            }

            var given = pairs.Where(p => p.Key != "scenario").ToList();
            pairs = [.. filePairs.Where(p => !Lists.Contains(p.Key) || !given.Exists(g => g.Key == p.Key)), .. given];
        }

        return TryBuild(pairs, out scenario, out error);
    }

    /// <summary>Applies option pairs in order (a later one wins) to the defaults and checks the result.</summary>
    internal static bool TryBuild(IEnumerable<KeyValuePair<string, string>> pairs, out LoadScenario scenario, out string? error)
    {
        scenario = new LoadScenario();
        foreach (var (key, value) in pairs)
        {
            if (!TryApply(scenario, key, value, out scenario, out error))
            {
                error = $"--{key}: {error}";
                return false;
            }
        }

        return Validate(scenario, out error);
    }

    public static string ModeName(LoadMode mode) => mode switch
    {
        LoadMode.GrpcStream => "grpc-stream",
        LoadMode.GrpcUnary => "grpc-unary",
        LoadMode.Query => "query",
        _ => "rest",
    };

    /// <summary>"60s", "500ms", "2m", "1h", "7d", or a plain number of seconds.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim();
        var (number, scale) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (text[..^2], 0.001),
            _ when text.EndsWith('s') || text.EndsWith('S') => (text[..^1], 1.0),
            _ when text.EndsWith('m') || text.EndsWith('M') => (text[..^1], 60.0),
            _ when text.EndsWith('h') || text.EndsWith('H') => (text[..^1], 3600.0),
            _ when text.EndsWith('d') || text.EndsWith('D') => (text[..^1], 86400.0),
            _ => (text, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < 0)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(value * scale);
        return true;
    }

    /// <summary>A count with an optional k/M/G suffix: "1M", "250k", "1500000".</summary>
    public static bool TryParseCount(string text, out double value)
    {
        value = 0;
        text = text.Trim();
        var scale = 1.0;
        if (text.Length > 0)
        {
            scale = char.ToLowerInvariant(text[^1]) switch
            {
                'k' => 1e3,
                'm' => 1e6,
                'g' => 1e9,
                _ => 1.0,
            };
            if (scale != 1.0)
            {
                text = text[..^1];
            }
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number) || number < 0)
        {
            return false;
        }

        value = number * scale;
        return true;
    }

    /// <summary>Command-line arguments → (name, value) pairs in order; names must be in <paramref name="known"/>.</summary>
    internal static bool TryReadPairs(IReadOnlyList<string> args, IReadOnlySet<string> known, out List<KeyValuePair<string, string>> pairs, out string? error)
    {
        pairs = [];
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                error = $"unexpected argument '{arg}' (options start with --; see --help)";
                return false;
            }

            var name = arg[2..];
            string? value = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }

            if (!known.Contains(name))
            {
                error = $"unknown option '--{name}' (see --help)";
                return false;
            }

            if (Flags.Contains(name))
            {
                pairs.Add(new(name, value ?? "true"));
                continue;
            }

            if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    error = $"--{name} needs a value";
                    return false;
                }

                value = args[++i];
            }

            pairs.Add(new(name, value));
        }

        return true;
    }

    private static bool TryReadScenarioFile(string path, out List<KeyValuePair<string, string>> pairs, out string? error)
    {
        pairs = [];
        error = null;
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"--scenario: cannot read '{path}': {e.Message}";
            return false;
        }

        try
        {
            var map = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? ReadJsonMap(text) : ReadYamlMap(text);
            foreach (var (key, value) in map)
            {
                var name = key.TrimStart('-');
                if (!Known.Contains(name) || name is "scenario" or "help")
                {
                    error = $"--scenario {path}: unknown key '{key}'";
                    return false;
                }

                pairs.Add(new(name, value));
            }
        }
        catch (Exception e) when (e is JsonException or YamlDotNet.Core.YamlException or FormatException)
        {
            error = $"--scenario {path}: {e.Message}";
            return false;
        }

        return true;
    }

    private static List<KeyValuePair<string, string>> ReadJsonMap(string text)
    {
        using var document = JsonDocument.Parse(text);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("the file must hold one JSON object");
        }

        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            var value = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString()!,
                JsonValueKind.Number => property.Value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => throw new FormatException($"'{property.Name}' must be a string, number or boolean"),
            };
            if (value != "false")
            {
                pairs.Add(new(property.Name, value));
            }
        }

        return pairs;
    }

    private static List<KeyValuePair<string, string>> ReadYamlMap(string text)
    {
        var yaml = new YamlStream();
        using (var reader = new StringReader(text))
        {
            yaml.Load(reader);
        }

        var pairs = new List<KeyValuePair<string, string>>();
        if (yaml.Documents.Count == 0)
        {
            return pairs;
        }

        if (yaml.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new FormatException("the file must hold one YAML mapping");
        }

        foreach (var (key, value) in root.Children)
        {
            if (key is not YamlScalarNode { Value: { } name } || value is not YamlScalarNode { Value: { } scalar })
            {
                throw new FormatException($"'{key}' must map a name to a scalar value");
            }

            if (!string.Equals(scalar, "false", StringComparison.OrdinalIgnoreCase))
            {
                pairs.Add(new(name, scalar));
            }
        }

        return pairs;
    }

    private static bool TryApply(LoadScenario current, string key, string value, out LoadScenario next, out string? error)
    {
        next = current;
        error = null;
        switch (key)
        {
            case "target":
                if (!IsHttpUrl(value))
                {
                    error = $"'{value}' is not an http:// or https:// URL";
                    return false;
                }

                next = current with { Target = value };
                return true;
            case "rest-url":
            case "query-url":
                if (!IsHttpUrl(value))
                {
                    error = $"'{value}' is not an http:// or https:// URL";
                    return false;
                }

                next = key == "rest-url" ? current with { RestUrl = value } : current with { QueryUrl = value };
                return true;
            case "query":
                var files = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (files.Length == 0)
                {
                    error = "needs a file name";
                    return false;
                }

                next = current with { QueryFiles = [.. current.QueryFiles, .. files] };
                return true;
            case "clients":
                if (!TryPositive(value, 1, 4096, out var clients, out error))
                {
                    return false;
                }

                next = current with { Clients = clients };
                return true;
            case "models":
                if (!TryPositive(value, 1, Generation.ModelNames.Max, out var models, out error))
                {
                    return false;
                }

                next = current with { Models = models };
                return true;
            case "mode":
                LoadMode? mode = value.ToLowerInvariant() switch
                {
                    "grpc-stream" or "stream" => LoadMode.GrpcStream,
                    "grpc-unary" or "unary" => LoadMode.GrpcUnary,
                    "rest" => LoadMode.Rest,
                    "query" => LoadMode.Query,
                    _ => null,
                };
                if (mode is null)
                {
                    error = $"'{value}' is not grpc-stream, grpc-unary, rest or query";
                    return false;
                }

                next = current with { Mode = mode.Value };
                return true;
            case "connections":
                if (!TryPositive(value, 1, 1024, out var connections, out error))
                {
                    return false;
                }

                next = current with { Connections = connections };
                return true;
            case "streams":
                if (!TryPositive(value, 1, 4096, out var streams, out error))
                {
                    return false;
                }

                next = current with { Streams = streams };
                return true;
            case "batch":
                if (!TryPositive(value, 1, 100_000, out var batch, out error))
                {
                    return false;
                }

                next = current with { Batch = batch };
                return true;
            case "inflight":
                if (!TryPositive(value, 1, 4096, out var inflight, out error))
                {
                    return false;
                }

                next = current with { Inflight = inflight };
                return true;
            case "seed":
                if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed))
                {
                    error = $"'{value}' is not an integer";
                    return false;
                }

                next = current with { Seed = seed };
                return true;
            case "duration":
            case "warmup":
            case "drain-timeout":
            case "time-spread":
                if (!TryParseDuration(value, out var duration))
                {
                    error = $"'{value}' is not a duration (60s, 500ms, 2m, 24h, 7d)";
                    return false;
                }

                next = key switch
                {
                    "duration" => current with { Duration = duration },
                    "warmup" => current with { Warmup = duration },
                    "time-spread" => current with { TimeSpread = duration },
                    _ => current with { DrainTimeout = duration },
                };
                return true;
            case "rate":
            case "min-rate":
                if (!TryParseCount(value, out var rate))
                {
                    error = $"'{value}' is not a non-negative number (1M, 500k, 250000)";
                    return false;
                }

                next = key == "rate" ? current with { Rate = rate } : current with { MinRate = rate };
                return true;
            case "max-p99-ms":
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var p99) || !double.IsFinite(p99) || p99 <= 0)
                {
                    error = $"'{value}' is not a positive number of milliseconds";
                    return false;
                }

                next = current with { MaxP99Ms = p99 };
                return true;
            case "mix":
                if (!EventMix.TryParse(value, out var mix, out error))
                {
                    return false;
                }

                next = current with { Mix = mix };
                return true;
            case "ramp-from":
                if (!TryParseCount(value, out var from) || from <= 0)
                {
                    error = $"'{value}' is not a positive rate (50k, 100000)";
                    return false;
                }

                next = current with { RampFrom = from };
                return true;
            case "max-errors":
                if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var maxErrors) || maxErrors < 0)
                {
                    error = $"'{value}' is not a non-negative integer";
                    return false;
                }

                next = current with { MaxErrors = maxErrors };
                return true;
            case "metrics-url":
                if (!IsHttpUrl(value))
                {
                    error = $"'{value}' is not an http:// or https:// URL";
                    return false;
                }

                next = current with { MetricsUrl = value };
                return true;
            case "report":
                next = current with { ReportDirectory = value };
                return true;
            case "rest-http2":
                next = current with { RestHttp2 = IsTrue(value) };
                return true;
            case "plain":
                next = current with { Plain = IsTrue(value) };
                return true;
            default:
                error = "unknown option";
                return false;
        }
    }

    private static bool Validate(LoadScenario scenario, out string? error)
    {
        error = scenario.Duration < TimeSpan.FromSeconds(1) ? "--duration must be at least 1s"
            : scenario.TimeSpread > MaxTimeSpread ? $"--time-spread is at most {MaxTimeSpread.TotalDays:0} days (the hub itself accepts 7 days back by default)"
            : scenario.Mode == LoadMode.Query && scenario.QueryFiles.Count == 0 ? "--mode query needs --query FILE (a JSON query body)"
            : scenario.Mode != LoadMode.Query && scenario.QueryFiles.Count > 0 ? "--query is only for --mode query"
            : scenario.IsRamp && scenario.Rate <= 0 ? "--ramp-from needs --rate (where the ramp ends)"
            : null;
        if (error is null && scenario.QueryFiles.Count > 0 && !Load.QueryBodies.TryLoad(scenario.QueryFiles, out _, out var bodyError))
        {
            error = "--query: " + bodyError;
        }

        return error is null;
    }


    private static bool IsTrue(string value) => !string.Equals(value, "false", StringComparison.OrdinalIgnoreCase) && value != "0";

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static bool TryPositive(string text, int min, int max, out int value, out string? error)
    {
        error = null;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) || value < min || value > max)
        {
            error = $"'{text}' is not an integer in {min}–{max}";
            return false;
        }

        return true;
    }
}
