using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AnalyticsHub.Storage.Wal;

// Meter AnalyticsHub.Wal: what the log writes and how its group commits go. Counts are read from
// the log's own addresses on collection; the committer records one histogram pair per commit
// (per fsync), never per append.
public sealed partial class WriteAheadLog
{
    /// <summary>Name of the log's meter.</summary>
    public const string MeterName = "AnalyticsHub.Wal";

    private Meter _meter = null!;
    private Histogram<double> _commitDuration = null!;
    private Histogram<long> _commitBytes = null!;

    private void CreateInstruments()
    {
        long openedTail = _log.TailAddress;
        _meter = new Meter(MeterName);
        _commitDuration = _meter.CreateHistogram<double>("hub.wal.commit.duration", "s", "Time of one group commit: log pages written, fsync'd and the commit record on disk.");
        _commitBytes = _meter.CreateHistogram<long>("hub.wal.commit.size", "By", "Bytes made durable by one group commit.");
        _meter.CreateObservableCounter("hub.wal.commits", () => CommitCount, "{commit}", "Group commits (each one fsync round) since start.");
        _meter.CreateObservableCounter("hub.wal.appended.bytes", () => _log.TailAddress - openedTail, "By", "Bytes appended to the WAL since start (records with their headers).");
        _meter.CreateObservableGauge("hub.wal.retained.bytes", () => BacklogBytes, "By", "Bytes the WAL keeps on disk: from its oldest untruncated record to the tail.");
        _meter.CreateObservableGauge("hub.wal.max_retained.bytes", () => _maxBacklogBytes, "By", "Hub:Wal:MaxBacklogBytes: at this size producers are pushed back.");
    }

    private void RecordCommit(long startTimestamp, long bytes)
    {
        _commitDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds);
        _commitBytes.Record(bytes);
    }
}
