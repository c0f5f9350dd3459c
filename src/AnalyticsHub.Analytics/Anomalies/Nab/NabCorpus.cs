using System.Globalization;
using System.Text.Json;

namespace AnalyticsHub.Analytics.Anomalies.Nab;

/// <summary>
/// A NAB corpus on disk: <c>data/&lt;category&gt;/&lt;name&gt;.csv</c> (<c>timestamp,value</c>),
/// <c>labels/combined_windows.json</c> (per relative path, the windows as <c>[start, end]</c> timestamps) and
/// <c>profiles.json</c>. The series are the files named in the windows file, in its order; a window covers the rows
/// whose timestamps lie within it, ends included (a window holding no row is dropped: it cannot be scored).
/// Loading reads files, unlike the rest of this project: it exists for the benchmark, which runs from hubctl and tests.
/// Malformed input throws <see cref="InvalidDataException"/> naming the file and line.
/// </summary>
public sealed record NabCorpus(IReadOnlyList<NabSeries> Series, IReadOnlyList<NabProfile> Profiles)
{
    /// <summary>Loads the corpus rooted at <paramref name="directory"/>.</summary>
    public static NabCorpus Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"NAB folder not found: {directory}");
        }
        var profilesPath = Path.Combine(directory, "profiles.json");
        var profiles = ParseProfiles(profilesPath);
        var windowsPath = Path.Combine(directory, "labels", "combined_windows.json");
        var series = new List<NabSeries>();
        using (var windows = ParseJson(windowsPath))
        {
            foreach (var entry in windows.RootElement.EnumerateObject())
            {
                var (timestamps, values) = ReadSeries(Path.Combine(directory, "data", entry.Name));
                if (entry.Value.ValueKind != JsonValueKind.Array)
                {
                    throw new InvalidDataException($"{windowsPath}: {entry.Name}: expected a list of windows, got {entry.Value}");
                }
                var spans = entry.Value.EnumerateArray().Select(w => WindowSpan(w, windowsPath, entry.Name)).ToArray();
                series.Add(new NabSeries(entry.Name, timestamps, values, ToRows(timestamps, spans)));
            }
        }
        return new NabCorpus(series, profiles);
    }

    /// <summary>Reads a <c>timestamp,value</c> file, rows as written: NAB's real files repeat a few timestamps and one
    /// steps back an hour (clock-change artefacts), and NAB scores rows by position, so order is not enforced.</summary>
    public static (long[] TimestampsUnixSeconds, double[] Values) ReadSeries(string path)
    {
        var timestamps = new List<long>();
        var values = new List<double>();
        var lineNumber = 0;
        foreach (var line in ReadLines(path))
        {
            lineNumber++;
            if (lineNumber == 1 || line.Length == 0)
            {
                continue;
            }
            var comma = line.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0
                || !NabTimestamp.TryParse(line.AsSpan(0, comma), out var time)
                || !double.TryParse(line.AsSpan(comma + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                throw new InvalidDataException($"{path}:{lineNumber}: expected 'timestamp,value', got '{line}'");
            }
            timestamps.Add(time.ToUnixTimeSeconds());
            values.Add(value);
        }
        return ([.. timestamps], [.. values]);
    }

    /// <summary>Each window as the first to the last row whose timestamp lies within it (a linear scan: the rows are not
    /// guaranteed sorted).</summary>
    private static NabWindow[] ToRows(long[] timestamps, IEnumerable<(long Start, long End)> spans)
    {
        var rows = new List<NabWindow>();
        foreach (var (start, end) in spans.OrderBy(s => s.Start))
        {
            var first = Array.FindIndex(timestamps, t => t >= start && t <= end);
            if (first >= 0)
            {
                rows.Add(new NabWindow(first, Array.FindLastIndex(timestamps, t => t >= start && t <= end)));
            }
        }
        return [.. rows];
    }

    private static (long Start, long End) WindowSpan(JsonElement window, string path, string file)
    {
        if (window.ValueKind != JsonValueKind.Array || window.GetArrayLength() != 2
            || window[0].ValueKind != JsonValueKind.String || !NabTimestamp.TryParse(window[0].GetString(), out var start)
            || window[1].ValueKind != JsonValueKind.String || !NabTimestamp.TryParse(window[1].GetString(), out var end))
        {
            throw new InvalidDataException($"{path}: {file}: a window must be [start, end] timestamps, got {window}");
        }
        return (start.ToUnixTimeSeconds(), end.ToUnixTimeSeconds());
    }

    private static IReadOnlyList<NabProfile> ParseProfiles(string path)
    {
        try
        {
            return NabProfile.ParseAll(ReadText(path));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"{path}: expected {{\"name\": {{\"CostMatrix\": {{tpWeight, fpWeight, fnWeight}}}}}}: {e.Message}", e);
        }
    }

    private static JsonDocument ParseJson(string path)
    {
        try
        {
            return JsonDocument.Parse(ReadText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    private static string ReadText(string path) =>
        File.Exists(path) ? File.ReadAllText(path) : throw new FileNotFoundException($"file not found: {path}", path);

    private static IEnumerable<string> ReadLines(string path) =>
        File.Exists(path) ? File.ReadLines(path) : throw new FileNotFoundException($"file not found: {path}", path);
}
