namespace AnalyticsHub.Analytics.Anomalies;

/// <summary>
/// An online anomaly detector for one series: it sees the points in time order, one at a time, and scores each from
/// what came before it (and the point itself) — never from later points — with O(1) or O(log n) work per point and
/// bounded memory, so one instance can run on every live series of the hub. Not thread-safe: one instance per series.
/// </summary>
public interface IAnomalyDetector
{
    /// <summary>Short stable name, e.g. "robust-z", "seasonal-residual".</summary>
    string Name { get; }

    /// <summary>Scores the next point (0 normal … 1 extreme), then learns from it.</summary>
    AnomalyScore Observe(long timestampUnixSeconds, double value);
}
