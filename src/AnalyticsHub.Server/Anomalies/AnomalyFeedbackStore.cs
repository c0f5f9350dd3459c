using System.Globalization;
using System.Text;
using System.Text.Json;
using AnalyticsHub.Analytics.Anomalies.Feedback;

namespace AnalyticsHub.Server.Anomalies;

/// <summary>
/// Operator feedback on anomaly verdicts, per series, and the alert threshold it leaves each series at
/// (<see cref="SeriesAlertThreshold"/>). Persisted as an append-only JSON-lines file in the data directory, each line
/// fsync'd before the call returns, and replayed in order at start: a label that was acknowledged survives kill -9.
/// A torn last line (a crash mid-append: never acknowledged) is skipped and ended, so appends go on after it. Bounded: at most <see cref="MaxSeries"/> series, names of at
/// most <see cref="MaxSeriesNameLength"/> characters, the last <see cref="LabelsKept"/> labels of a series in memory
/// (the threshold accounts for all of them).
/// </summary>
public sealed class AnomalyFeedbackStore : IDisposable
{
    public const int MaxSeries = 10_000;
    public const int MaxSeriesNameLength = 200;
    public const int LabelsKept = 100;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, SeriesFeedback> _series = new(StringComparer.Ordinal);
    private readonly FileStream _log;

    public AnomalyFeedbackStore(string dataDirectory)
    {
        var directory = Path.Combine(dataDirectory, "anomalies");
        Directory.CreateDirectory(directory);
        FilePath = Path.Combine(directory, "feedback.jsonl");
        SkippedLines = Load(FilePath);
        _log = new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.Read, 4096, FileOptions.None);
        EndTornLine();
    }

    public string FilePath { get; }

    /// <summary>Lines of the file that could not be read at start (a torn or damaged line), skipped.</summary>
    public int SkippedLines { get; }

    /// <summary>A series' threshold and its latest labels (oldest first); <see cref="SeriesAlertThreshold.Default"/> and none when unlabelled.</summary>
    public (double Threshold, IReadOnlyList<RecordedLabel> Labels) Get(string series)
    {
        lock (_gate)
        {
            return _series.TryGetValue(series, out var feedback)
                ? (feedback.Threshold, [.. feedback.Labels])
                : (SeriesAlertThreshold.Default, []);
        }
    }

    /// <summary>
    /// Records a label durably and moves the series' threshold; false (with nothing written) when the store holds
    /// <see cref="MaxSeries"/> other series. Throws <see cref="IOException"/> when the file cannot be written (disk full):
    /// nothing is recorded then.
    /// </summary>
    public bool TryRecord(string series, FeedbackLabel label, DateTimeOffset recordedAt, out double before, out double after)
    {
        lock (_gate)
        {
            var known = _series.TryGetValue(series, out var feedback);
            before = known ? feedback!.Threshold : SeriesAlertThreshold.Default;
            if (!known && _series.Count >= MaxSeries)
            {
                after = before;
                return false;
            }

            var recorded = new RecordedLabel(label, recordedAt);
            var end = _log.Length;
            try
            {
                _log.Write(Encode(series, recorded));
                _log.Flush(flushToDisk: true);
            }
            catch (IOException)
            {
                // Cut a half-written line off, so the next append starts a whole line; the caller reports the failure.
                TryTruncate(end);
                throw;
            }

            after = Add(series, recorded);
            return true;
        }
    }

    public void Dispose() => _log.Dispose();

    /// <summary>A crash mid-append leaves a line without its newline: end it, so the next label starts a line of its own.</summary>
    private void EndTornLine()
    {
        if (_log.Length == 0)
        {
            return;
        }

        using (var reader = new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            reader.Seek(-1, SeekOrigin.End);
            if (reader.ReadByte() == '\n')
            {
                return;
            }
        }

        _log.WriteByte((byte)'\n');
        _log.Flush(flushToDisk: true);
    }

    private void TryTruncate(long length)
    {
        try
        {
            _log.SetLength(length);
        }
        catch (IOException)
        {
            // The start-up reader skips a damaged line; nothing more to do here.
        }
    }

    private double Add(string series, RecordedLabel recorded)
    {
        if (!_series.TryGetValue(series, out var feedback))
        {
            _series[series] = feedback = new SeriesFeedback();
        }

        feedback.Threshold = SeriesAlertThreshold.Apply(feedback.Threshold, recorded.Label);
        feedback.Labels.Enqueue(recorded);
        if (feedback.Labels.Count > LabelsKept)
        {
            feedback.Labels.Dequeue();
        }

        return feedback.Threshold;
    }

    private int Load(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        var skipped = 0;
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (TryDecode(line, out var series, out var recorded))
            {
                Add(series, recorded);
            }
            else
            {
                skipped++;
            }
        }

        return skipped;
    }

    private static byte[] Encode(string series, RecordedLabel recorded)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("series", series);
            json.WriteNumber("timestamp", recorded.Label.TimestampUnixSeconds);
            json.WriteString("kind", FeedbackKinds.Name(recorded.Label.Kind));
            json.WriteNumber("score", recorded.Label.Score);
            json.WriteString("recorded_at", recorded.RecordedAt.ToString("O", CultureInfo.InvariantCulture));
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static bool TryDecode(string line, out string series, out RecordedLabel recorded)
    {
        series = "";
        recorded = default;
        try
        {
            using var document = JsonDocument.Parse(Encoding.UTF8.GetBytes(line));
            var root = document.RootElement;
            if (!FeedbackKinds.TryParse(root.GetProperty("kind").GetString(), out var kind))
            {
                return false;
            }

            series = root.GetProperty("series").GetString() ?? "";
            recorded = new RecordedLabel(
                new FeedbackLabel(root.GetProperty("timestamp").GetInt64(), kind, root.GetProperty("score").GetDouble()),
                DateTimeOffset.Parse(root.GetProperty("recorded_at").GetString()!, CultureInfo.InvariantCulture));
            return series.Length > 0;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    private sealed class SeriesFeedback
    {
        public double Threshold { get; set; } = SeriesAlertThreshold.Default;

        public Queue<RecordedLabel> Labels { get; } = new();
    }
}

/// <summary>A label as stored: what the operator said, and when the hub recorded it.</summary>
public readonly record struct RecordedLabel(FeedbackLabel Label, DateTimeOffset RecordedAt);

/// <summary>The API's names of <see cref="FeedbackKind"/>.</summary>
public static class FeedbackKinds
{
    public const string FalsePositive = "false_positive";
    public const string MissedAnomaly = "missed_anomaly";

    public static string Name(FeedbackKind kind) => kind == FeedbackKind.FalsePositive ? FalsePositive : MissedAnomaly;

    public static bool TryParse(string? name, out FeedbackKind kind)
    {
        kind = name == MissedAnomaly ? FeedbackKind.MissedAnomaly : FeedbackKind.FalsePositive;
        return name is FalsePositive or MissedAnomaly;
    }
}
