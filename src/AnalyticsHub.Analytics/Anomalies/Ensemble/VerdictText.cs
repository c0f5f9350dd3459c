using System.Globalization;
using AnalyticsHub.Analytics.Anomalies.Detectors;

namespace AnalyticsHub.Analytics.Anomalies.Ensemble;

/// <summary>Writes the human sentence of a verdict from the robust window's statistics and the members that fired.</summary>
internal static class VerdictText
{
    public static string Describe(double value, RobustZDetector robustZ, AnomalyScore score, IReadOnlyList<string> fired, bool anomalous)
    {
        var culture = CultureInfo.InvariantCulture;
        if (double.IsNaN(score.ExpectedLow))
        {
            return string.Create(culture, $"value {Number(value)}: still learning the series");
        }

        double z = robustZ.LastZ;
        string direction = z >= 0 ? "above" : "below";
        string text = string.Create(culture,
            $"value {Number(value)} is {Math.Abs(z):0.0}σ {direction} the {Span(robustZ.WindowSeconds)} median (expected {Number(score.ExpectedLow)}–{Number(score.ExpectedHigh)})");
        return anomalous
            ? string.Create(culture, $"{text}; fired: {(fired.Count == 0 ? "none alone (combined evidence)" : string.Join(", ", fired))}")
            : string.Create(culture, $"{text}; normal");
    }

    private static string Number(double value) => value.ToString(
        Math.Abs(value) >= 1000 ? "0" : Math.Abs(value) >= 10 ? "0.#" : "0.###", CultureInfo.InvariantCulture);

    private static string Span(long seconds) => seconds switch
    {
        >= 86_400 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 86_400.0:0.#}-day"),
        >= 2 * 3600 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600.0:0.#}-hour"),
        >= 3600 => "1-hour",
        >= 120 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}-minute"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{seconds}-second"),
    };
}
