using AnalyticsHub.Core.Events;

namespace AnalyticsHub.Core.Rollups;

/// <summary>
/// One persisted rollup bucket of one series (1 m, 1 h or 1 d), as stores keep it. A main row
/// (<see cref="Part"/> 0) holds the bucket's whole aggregate as of a flush and replaces the
/// node's earlier main row for the same series and bucket; a late part (<see cref="Part"/> &gt; 0)
/// holds only events that arrived after the bucket left the hub's memory and adds to it. Readers
/// merge every part of every node for a bucket.
/// </summary>
public sealed record RollupRow
{
    public required string TenantId { get; init; }
    public required string Metric { get; init; }

    /// <summary>The series' dimensions as canonical JSON (<see cref="SeriesInfo.Key"/>).</summary>
    public required string SeriesKey { get; init; }

    public SourceModule SourceModule { get; init; }
    public EventType EventType { get; init; }

    /// <summary>60, 3600 or 86400.</summary>
    public required int ResolutionSeconds { get; init; }

    /// <summary>Bucket number: widths since the Unix epoch.</summary>
    public required long Bucket { get; init; }

    public long BucketStartUnixNano => Bucket * ResolutionSeconds * 1_000_000_000L;

    /// <summary>0 for the main row; otherwise the flush position that wrote this additive late part.</summary>
    public long Part { get; init; }

    public BucketStats Stats { get; init; }
    public double Tokens { get; init; }
    public ulong Errors { get; init; }

    /// <summary>The quantile sketch, serialized (<see cref="QuantileSketch.WriteTo"/>).</summary>
    public byte[] Sketch { get; init; } = [];

    /// <summary>The flush's WAL position: of two main rows for one key, the higher replaces the lower.</summary>
    public long Version { get; init; }

    public static int ResolutionOf(long seconds) => seconds switch
    {
        >= 86400 when seconds % 86400 == 0 => 86400,
        >= 3600 when seconds % 3600 == 0 => 3600,
        _ => 60,
    };
}
