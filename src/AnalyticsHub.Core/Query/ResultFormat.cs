namespace AnalyticsHub.Core.Query;

/// <summary>How a REST answer lays out its series (the values are the same either way).</summary>
public enum ResultFormat
{
    /// <summary><c>"points": [{"time", "time_unix_nano", "values": {…}}]</c>, one object per non-empty bucket: easy to read.</summary>
    Points,

    /// <summary>
    /// <c>"start_unix_nano", "step_seconds", "values": {"avg": […], …}</c>: one array per column over every bucket from the
    /// series' first to its last non-empty one (null where a bucket is empty): a fraction of the bytes for long answers.
    /// </summary>
    Columns,
}
