namespace AnalyticsHub.Core.Rollups;

/// <summary>Events for a bucket no longer in memory, gathered until the next flush writes them as an additive part.</summary>
internal sealed class LatePart
{
    public BucketStats Stats = BucketStats.Empty;
    public double Tokens;
    public ulong Errors;
    public readonly QuantileSketch Sketch = new();

    public void Add(double value, double tokens, bool error)
    {
        Stats.Add(value);
        Tokens += tokens;
        if (error)
        {
            Errors++;
        }
        Sketch.Add(value);
    }

    public void Merge(RollupRow row)
    {
        Stats.Merge(row.Stats);
        Tokens += row.Tokens;
        Errors += row.Errors;
        var sketch = new QuantileSketch();
        if (QuantileSketch.TryReadFrom(row.Sketch, sketch))
        {
            Sketch.MergeFrom(sketch);
        }
    }
}
