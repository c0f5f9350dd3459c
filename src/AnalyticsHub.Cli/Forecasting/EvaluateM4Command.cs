using System.CommandLine;
using AnalyticsHub.Analytics.Forecasting;

namespace AnalyticsHub.Cli.Forecasting;

/// <summary>hubctl evaluate-m4: holds out the last points of every M4 series, forecasts them with the engine and
/// each model alone, and prints sMAPE, MASE, interval coverage and MSIS (see <see cref="M4Evaluation"/>).</summary>
internal static class EvaluateM4Command
{
    public static Command Create()
    {
        var input = new Option<string>("--input") { Description = "M4 training file, e.g. ../shared/data/m4/Hourly-train.csv", Required = true };
        var holdout = new Option<int>("--holdout") { Description = "Points held out per series (the horizon)", DefaultValueFactory = _ => 48 };
        var count = new Option<int?>("--series") { Description = "Evaluate only the first N series" };
        var threads = new Option<int>("--threads") { Description = "Series forecast in parallel", DefaultValueFactory = _ => Environment.ProcessorCount };
        var frequency = new Option<string>("--frequency") { Description = Frequency.Help, DefaultValueFactory = _ => "hourly" };
        var rule = new Option<CombinationRule>("--rule") { Description = "How the engine combines candidates", DefaultValueFactory = _ => CombinationRule.InverseErrorWeights };
        var windows = new Option<int>("--windows") { Description = "Validation windows before the origin", DefaultValueFactory = _ => 1 };
        var command = new Command("evaluate-m4", "Hold out the end of each M4 series and score the forecasting engine and each model on it")
        {
            input, holdout, count, threads, frequency, rule, windows,
        };
        command.SetAction(parse => CommandErrors.Run(parse, () => M4Evaluation.Run(new M4EvaluationArguments(
            parse.GetValue(input)!, parse.GetValue(holdout), parse.GetValue(count), parse.GetValue(threads),
            parse.GetValue(frequency)!, parse.GetValue(rule), parse.GetValue(windows)), parse.InvocationConfiguration.Output)));
        return command;
    }
}
