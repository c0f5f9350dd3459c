namespace AnalyticsHub.Core.Rollups;

/// <summary>What <see cref="RollupChangeLog.ChangesSince"/> found in a tenant's time range since a version.</summary>
public enum RangeChange
{
    /// <summary>Nothing: an answer computed at that version is still exact.</summary>
    None,

    /// <summary>Only the live edge (the newest seconds, which ingestion keeps filling) changed.</summary>
    LiveEdgeOnly,

    /// <summary>Settled buckets changed (late events, a reload), or the log no longer reaches back that far.</summary>
    Changed,
}
