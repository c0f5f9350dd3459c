using System.Globalization;

namespace AnalyticsHub.LoadRunner.ServerMetrics;

/// <summary>
/// One scrape of the hub's <c>/metrics</c> in the Prometheus text format 0.0.4: every sample by
/// metric name and label text (as the exporter wrote it, without the braces; "" for none).
/// </summary>
public sealed class MetricsScrape
{
    private readonly Dictionary<string, Dictionary<string, double>> _samples;

    private MetricsScrape(Dictionary<string, Dictionary<string, double>> samples, DateTimeOffset at)
    {
        _samples = samples;
        At = at;
    }

    public DateTimeOffset At { get; }

    public IEnumerable<string> Names => _samples.Keys;

    /// <summary>The series of <paramref name="name"/>: label text → value (empty when absent).</summary>
    public IReadOnlyDictionary<string, double> Series(string name) =>
        _samples.TryGetValue(name, out var series) ? series : EmptySeries;

    private static readonly Dictionary<string, double> EmptySeries = [];

    /// <summary>
    /// Parses the text format: comment lines are skipped, a sample line is
    /// <c>name[{labels}] value [timestamp]</c>. A line that is not one is a format error.
    /// </summary>
    public static MetricsScrape Parse(string text, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(text);
        var samples = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim(); // the format allows blanks and tabs around tokens
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (!TryParseSample(line, out var name, out var labels, out var value))
            {
                throw new FormatException($"line {lineNumber} is not a sample: '{(line.Length > 120 ? line[..120] + "…" : line)}'");
            }

            if (!samples.TryGetValue(name, out var series))
            {
                samples[name] = series = new Dictionary<string, double>(StringComparer.Ordinal);
            }

            series[labels] = value;
        }

        return new MetricsScrape(samples, at);
    }

    private static bool TryParseSample(string line, out string name, out string labels, out double value)
    {
        name = labels = "";
        value = 0;
        var nameEnd = line.IndexOfAny(['{', ' ', '\t']);
        if (nameEnd <= 0)
        {
            return false;
        }

        name = line[..nameEnd];
        var rest = nameEnd;
        if (line[nameEnd] == '{')
        {
            var close = LabelsEnd(line, nameEnd + 1);
            if (close < 0)
            {
                return false;
            }

            labels = line[(nameEnd + 1)..close];
            rest = close + 1;
        }

        var fields = line[rest..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is 0 or > 2)
        {
            return false;
        }

        value = fields[0] switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN,
        };
        return fields[0] == "NaN" || !double.IsNaN(value);
    }

    /// <summary>The index of the '}' closing a label set, skipping quoted values (with \" escapes); -1 if none.</summary>
    private static int LabelsEnd(string line, int start)
    {
        var quoted = false;
        for (var i = start; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == '}')
            {
                return i;
            }
        }

        return -1;
    }
}
