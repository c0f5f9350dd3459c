using System.Diagnostics;
using System.Globalization;
using AnalyticsHub.Analytics.Forecasting;
using AnalyticsHub.Analytics.Forecasting.Accuracy;
using AnalyticsHub.Analytics.Forecasting.Benchmarks;

namespace AnalyticsHub.Cli.Forecasting;

/// <summary>The options of evaluate-m4.</summary>
internal sealed record M4EvaluationArguments(string Input, int Holdout, int? Series, int Threads, string Frequency,
    CombinationRule Rule, int ValidationWindows);

/// <summary>Scores the engine on an M4 file with its last points held out: for each series the engine forecasts
/// the holdout from the rest (reporting every candidate's own forecast too), and the M4 benchmarks SES and Naive2
/// are fitted alongside. MASE scales by the seasonal difference at the primary period (24 for hourly, as M4).</summary>
internal static class M4Evaluation
{
    private const string Engine = "engine";

    private static readonly IForecastModel[] Benchmarks = [new SesBenchmark(), new Naive2()];

    public static int Run(M4EvaluationArguments arguments, TextWriter output)
    {
        if (arguments.Holdout < 1 || arguments.Threads < 1 || arguments.ValidationWindows < 0)
        {
            throw new InputException("--holdout and --threads must be at least 1 and --windows at least 0");
        }
        var spec = new ForecastSpec(arguments.Holdout, Frequency.SeasonalPeriods(arguments.Frequency));
        var all = SeriesFile.Read(arguments.Input);
        var series = all.Take(arguments.Series ?? all.Count).ToArray();
        var minimum = ForecastEngine.MinimumHistory(spec) + arguments.Holdout;
        if (series.FirstOrDefault(s => s.Values.Length < minimum) is { } tooShort)
        {
            throw new InputException($"series {tooShort.Id} has {tooShort.Values.Length} points; at least {minimum} are needed with a holdout of {arguments.Holdout}");
        }
        var engine = new ForecastEngine(ForecastModelCatalog.Candidates, new ForecastEngineOptions
        {
            Rule = arguments.Rule,
            ValidationWindows = arguments.ValidationWindows,
            ForecastAllCandidates = true,
        });

        var clock = Stopwatch.StartNew();
        var perSeries = new SeriesScores[series.Length];
        Parallel.For(0, series.Length, new ParallelOptions { MaxDegreeOfParallelism = arguments.Threads },
            i => perSeries[i] = Score(series[i].Values, spec, engine));
        clock.Stop();

        ModelScoreTable.Print(output, perSeries, [Engine, .. engine.Candidates.Select(c => c.Name), .. Benchmarks.Select(b => b.Name)],
            baseline: new SeasonalNaive().Name);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{series.Length} series, holdout {arguments.Holdout}, rule {arguments.Rule}, {arguments.ValidationWindows} validation window(s), {arguments.Threads} thread(s): {clock.Elapsed.TotalSeconds:0.0} s"));
        return 0;
    }

    private static SeriesScores Score(double[] values, ForecastSpec spec, ForecastEngine engine)
    {
        var history = values.AsSpan(0, values.Length - spec.Horizon);
        var actual = values.AsSpan(values.Length - spec.Horizon);
        var scores = new SeriesScores();
        var result = engine.Forecast(history, spec);
        scores.Add(Engine, Measure(history, actual, result.Point, result.Lower, result.Upper, spec), weight: 1);
        foreach (var candidate in result.Candidates)
        {
            if (candidate.Forecast is { } f)
            {
                scores.Add(candidate.Name, Measure(history, actual, f.Point, f.Lower, f.Upper, spec), candidate.Weight);
            }
        }
        foreach (var benchmark in Benchmarks)
        {
            if (benchmark.Fit(history, spec) is { } f)
            {
                scores.Add(benchmark.Name, Measure(history, actual, f.Point, f.Lower, f.Upper, spec), weight: 0);
            }
        }
        return scores;
    }

    private static Measures Measure(ReadOnlySpan<double> history, ReadOnlySpan<double> actual, double[] point, double[] lower,
        double[] upper, ForecastSpec spec) => new(
            ForecastAccuracy.Smape(actual, point),
            ForecastAccuracy.Mase(history, actual, point, spec.PrimaryPeriod),
            ForecastAccuracy.Coverage(actual, lower, upper),
            ForecastAccuracy.Msis(history, actual, lower, upper, spec.PrimaryPeriod, spec.Level));
}

/// <summary>One model's measures on one series.</summary>
internal readonly record struct Measures(double Smape, double Mase, double Coverage, double Msis);

/// <summary>Each model's measures on one series, and its weight in the engine's forecast.</summary>
internal sealed class SeriesScores
{
    public Dictionary<string, (Measures Measures, double Weight)> ByModel { get; } = [];

    public void Add(string model, Measures measures, double weight) => ByModel[model] = (measures, weight);
}
