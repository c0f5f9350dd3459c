using System.Globalization;
using AnalyticsHub.Analytics.Anomalies;
using AnalyticsHub.Analytics.Anomalies.Nab;

namespace AnalyticsHub.Cli.Anomalies;

/// <summary>One series read from a <c>timestamp,value</c> file, with each row's timestamp and value text kept as
/// written so the output echoes them unchanged.</summary>
internal sealed record Observations(string[] TimestampTexts, string[] ValueTexts, long[] UnixSeconds, double[] Values);

/// <summary>The files of hubctl detect: input <c>timestamp,value</c> (NAB's format; NAB or RFC 3339 timestamps,
/// strictly increasing, finite values), output <c>timestamp,value,anomaly_score,expected_low,expected_high</c> with
/// one row per input row (an unknown expected bound is an empty cell).</summary>
internal static class ObservationFile
{
    public const string InputHeader = "timestamp,value";
    public const string OutputHeader = "timestamp,value,anomaly_score,expected_low,expected_high";

    public static Observations Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new InputException($"input file not found: {path}");
        }
        var timestampTexts = new List<string>();
        var valueTexts = new List<string>();
        var seconds = new List<long>();
        var values = new List<double>();
        var previous = DateTimeOffset.MinValue;
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (lineNumber == 1)
            {
                if (!string.Equals(line.Trim(), InputHeader, StringComparison.OrdinalIgnoreCase))
                {
                    throw new InputException($"{path}:1: expected the header '{InputHeader}', got '{line}'");
                }
                continue;
            }
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            var cells = line.Split(',');
            if (cells.Length != 2)
            {
                throw new InputException($"{path}:{lineNumber}: expected 2 cells (timestamp,value), got {cells.Length}");
            }
            if (!NabTimestamp.TryParse(cells[0], out var time))
            {
                throw new InputException($"{path}:{lineNumber}: '{cells[0]}' is not a timestamp (use 2014-04-01 00:00:00 or RFC 3339)");
            }
            if (!double.TryParse(cells[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                throw new InputException($"{path}:{lineNumber}: '{cells[1]}' is not a finite number");
            }
            if (time <= previous)
            {
                throw new InputException($"{path}:{lineNumber}: timestamp {cells[0]} does not increase");
            }
            previous = time;
            timestampTexts.Add(cells[0].Trim());
            valueTexts.Add(cells[1].Trim());
            seconds.Add(time.ToUnixTimeSeconds());
            values.Add(value);
        }
        if (lineNumber == 0)
        {
            throw new InputException($"{path}: empty file; expected the header '{InputHeader}'");
        }
        if (values.Count == 0)
        {
            throw new InputException($"{path}: no rows after the header");
        }
        return new Observations([.. timestampTexts], [.. valueTexts], [.. seconds], [.. values]);
    }

    public static void Write(string path, Observations input, IReadOnlyList<AnomalyScore> scores)
    {
        try
        {
            using var writer = new StreamWriter(path);
            writer.Write(OutputHeader);
            writer.Write('\n');
            for (var i = 0; i < scores.Count; i++)
            {
                writer.Write(input.TimestampTexts[i]);
                writer.Write(',');
                writer.Write(input.ValueTexts[i]);
                writer.Write(',');
                writer.Write(Format(scores[i].Score));
                writer.Write(',');
                writer.Write(Format(scores[i].ExpectedLow));
                writer.Write(',');
                writer.Write(Format(scores[i].ExpectedHigh));
                writer.Write('\n');
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"cannot write {path}: {e.Message}");
        }
    }

    private static string Format(double value) => double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "";
}
