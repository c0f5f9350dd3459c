using System.CommandLine;
using AnalyticsHub.Analytics.Forecasting;

namespace AnalyticsHub.Cli.Forecasting;

/// <summary>hubctl forecast: forecasts every series of an M4-layout file with <see cref="ForecastEngine"/> and
/// writes point forecasts (and optionally the interval bounds) as id,F1,…,FH files in input order.</summary>
internal static class ForecastCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input") { Description = "Series file: id then values per line (M4 layout)", Required = true };
        var horizon = new Option<int>("--horizon") { Description = "Steps to forecast", Required = true };
        var frequency = new Option<string>("--frequency") { Description = Frequency.Help, Required = true };
        var level = new Option<double>("--level") { Description = "Interval coverage in percent", DefaultValueFactory = _ => 95 };
        var output = new Option<string>("--output") { Description = "Point forecasts file (id,F1,…,FH)", Required = true };
        var lower = new Option<string?>("--lower") { Description = "Lower bounds file, same shape" };
        var upper = new Option<string?>("--upper") { Description = "Upper bounds file, same shape" };
        var command = new Command("forecast", "Forecast each series of a file with automatic model selection and calibrated intervals")
        {
            input, horizon, frequency, level, output, lower, upper,
        };
        command.SetAction(parse => CommandErrors.Run(parse, () => Run(new ForecastArguments(
            parse.GetValue(input)!, parse.GetValue(horizon), parse.GetValue(frequency)!, parse.GetValue(level),
            parse.GetValue(output)!, parse.GetValue(lower), parse.GetValue(upper)))));
        return command;
    }

    public static int Run(ForecastArguments arguments)
    {
        if (arguments.Horizon < 1)
        {
            throw new InputException($"--horizon must be at least 1, got {arguments.Horizon}");
        }
        if (!(arguments.LevelPercent > 0 && arguments.LevelPercent < 100))
        {
            throw new InputException($"--level must be a percentage strictly between 0 and 100, got {arguments.LevelPercent}");
        }
        var spec = new ForecastSpec(arguments.Horizon, Frequency.SeasonalPeriods(arguments.Frequency), arguments.LevelPercent / 100);
        var series = SeriesFile.Read(arguments.Input);
        var minimum = ForecastEngine.MinimumHistory(spec);
        foreach (var s in series)
        {
            if (s.Values.Length < minimum)
            {
                throw new InputException($"series {s.Id} has {s.Values.Length} points; at least {minimum} are needed for frequency '{arguments.Frequency}'");
            }
        }

        var engine = new ForecastEngine();
        var forecasts = new EngineForecast[series.Count];
        Parallel.For(0, series.Count, i => forecasts[i] = engine.Forecast(series[i].Values, spec));

        var ids = series.Select(s => s.Id).ToArray();
        SeriesFile.WriteForecasts(arguments.Output, ids, [.. forecasts.Select(f => f.Point)]);
        if (arguments.Lower is not null)
        {
            SeriesFile.WriteForecasts(arguments.Lower, ids, [.. forecasts.Select(f => f.Lower)]);
        }
        if (arguments.Upper is not null)
        {
            SeriesFile.WriteForecasts(arguments.Upper, ids, [.. forecasts.Select(f => f.Upper)]);
        }
        return 0;
    }
}

/// <summary>The forecast command's options, as parsed.</summary>
internal sealed record ForecastArguments(string Input, int Horizon, string Frequency, double LevelPercent, string Output,
    string? Lower, string? Upper);
