using System.CommandLine;
using AnalyticsHub.Analytics.Anomalies;

namespace AnalyticsHub.Cli.Anomalies;

/// <summary>hubctl detect: runs one detector over a <c>timestamp,value</c> series in time order (online: each point's
/// score uses only the points up to it) and writes each row with its anomaly score and expected range.</summary>
internal static class DetectCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input") { Description = "Series file with the header timestamp,value", Required = true };
        var output = new Option<string>("--output") { Description = "Scored file: timestamp,value,anomaly_score,expected_low,expected_high", Required = true };
        var detector = new Option<string>("--detector")
        {
            Description = "Detector: " + string.Join(", ", AnomalyDetectorCatalog.Factories.Keys),
            DefaultValueFactory = _ => AnomalyDetectorCatalog.DefaultName,
        };
        var command = new Command("detect", "Score every point of a series for anomalies (0 normal … 1 extreme)")
        {
            input, output, detector,
        };
        command.SetAction(parse => CommandErrors.Run(parse,
            () => Run(parse.GetValue(input)!, parse.GetValue(output)!, parse.GetValue(detector)!)));
        return command;
    }

    public static int Run(string inputPath, string outputPath, string detectorName)
    {
        var detector = DetectorLookup.Factory(detectorName)();
        var observations = ObservationFile.Read(inputPath);
        var scores = new AnomalyScore[observations.Values.Length];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = Clamp(detector.Observe(observations.UnixSeconds[i], observations.Values[i]));
        }
        ObservationFile.Write(outputPath, observations, scores);
        return 0;
    }

    /// <summary>The file promises scores in 0..1; a NaN from a detector becomes 0 (no opinion).</summary>
    private static AnomalyScore Clamp(AnomalyScore score) =>
        score with { Score = double.IsNaN(score.Score) ? 0 : Math.Clamp(score.Score, 0, 1) };
}
