using System.CommandLine;

namespace AnalyticsHub.Cli.Anomalies;

/// <summary>hubctl evaluate-nab: scores detectors on a NAB corpus with every profile of its profiles.json and prints
/// the normalised scores, chosen thresholds and throughput (see <see cref="NabEvaluation"/>).</summary>
internal static class EvaluateNabCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "NAB folder holding data/, labels/ and profiles.json, e.g. ../shared/data/nab", Required = true };
        var detector = new Option<string>("--detector") { Description = "Detector name, comma-separated names, or all", DefaultValueFactory = _ => "all" };
        var threads = new Option<int>("--threads") { Description = "Series scored in parallel", DefaultValueFactory = _ => 2 };
        var command = new Command("evaluate-nab", "Score anomaly detectors on the Numenta Anomaly Benchmark (standard, low-FP and low-FN profiles)")
        {
            data, detector, threads,
        };
        command.SetAction(parse => CommandErrors.Run(parse, () => NabEvaluation.Run(
            new NabEvaluationArguments(parse.GetValue(data)!, parse.GetValue(detector)!, parse.GetValue(threads)),
            parse.InvocationConfiguration.Output)));
        return command;
    }
}
