using AnalyticsHub.Core.Rollups;

namespace AnalyticsHub.Core.Query;

/// <summary>
/// One (bucket, group) of a metric query answered from raw events (the store path): the exact
/// aggregates of the measured values, the token and error counts composites need, and — when a
/// percentile was asked for — a sketch of the values, so percentiles come out of the same sketch
/// code as on the rollup path whichever store answered.
/// </summary>
public sealed class AggregateCell
{
    public AggregateCell(long bucketStartUnixNano, string[] group)
    {
        ArgumentNullException.ThrowIfNull(group);
        BucketStartUnixNano = bucketStartUnixNano;
        Group = group;
    }

    /// <summary>Start of the bucket (Unix nanoseconds, UTC): the time floored to the bucket width, or the query's start for a whole-range bucket.</summary>
    public long BucketStartUnixNano { get; }

    /// <summary>The group_by values in the query's order; <c>""</c> where the event lacks the field.</summary>
    public string[] Group { get; }

    /// <summary>Count, sum, sum of squares, min and max of the measured values.</summary>
    public BucketStats Stats { get; set; }

    /// <summary>Σ (input_tokens + output_tokens) of the events.</summary>
    public double Tokens { get; set; }

    /// <summary>Events with severity error or critical.</summary>
    public ulong Errors { get; set; }

    /// <summary>The measured values' sketch; null unless a percentile was asked for.</summary>
    public QuantileSketch? Sketch { get; set; }

    /// <summary>
    /// When the cell has one rollup source whose quantiles were computed when its bucket was
    /// flushed: p50, p90, p95, p99 (<see cref="BucketRing.QuantileLevels"/>), used instead of a
    /// sketch. Empty otherwise.
    /// </summary>
    public ReadOnlyMemory<double> Quantiles { get; set; }

    /// <summary>Adds what <paramref name="other"/> (same bucket and group) holds.</summary>
    public void Merge(AggregateCell other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var stats = Stats;
        stats.Merge(other.Stats);
        Stats = stats;
        Tokens += other.Tokens;
        Errors += other.Errors;
        if (other.Sketch is { } sketch)
        {
            (Sketch ??= new QuantileSketch()).MergeFrom(sketch);
        }
    }

    public override string ToString() => $"{BucketStartUnixNano} [{string.Join(", ", Group)}] {Stats} tokens={Tokens} errors={Errors}";
}
