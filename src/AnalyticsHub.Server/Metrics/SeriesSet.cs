namespace AnalyticsHub.Server.Metrics;

/// <summary>
/// The series of one metric family, found by tags. The untagged series is a field; tagged ones are
/// a copy-on-write array sorted by label text (deterministic output), scanned without a lock: the
/// hub's tag sets are small and bounded, and a new series is rare. Beyond <see cref="MaxSeries"/>
/// measurements with new tag sets are dropped, so a mistaken high-cardinality tag cannot exhaust memory.
/// </summary>
internal sealed class SeriesSet<TSeries>(Func<TSeries> create)
    where TSeries : class
{
    public const int MaxSeries = 1000;

    private readonly Lock _gate = new();
    private volatile (LabelSet Labels, TSeries Series)[] _series = [];
    private TSeries? _untagged;

    public (LabelSet Labels, TSeries Series)[] Snapshot => _series;

    /// <summary>The series for these tags, created on first use; null when the family is at its series cap.</summary>
    public TSeries? Get(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty && _untagged is { } untagged)
        {
            return untagged;
        }

        var all = _series;
        foreach (var (labels, series) in all)
        {
            if (labels.Matches(tags))
            {
                return series;
            }
        }

        return all.Length >= MaxSeries ? null : Add(tags);
    }

    private TSeries? Add(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        lock (_gate)
        {
            var current = _series;
            foreach (var (labels, series) in current)
            {
                if (labels.Matches(tags))
                {
                    return series;
                }
            }

            if (current.Length >= MaxSeries)
            {
                return null;
            }

            var added = (Labels: tags.IsEmpty ? LabelSet.Empty : new LabelSet(tags), Series: create());
            var next = new (LabelSet Labels, TSeries Series)[current.Length + 1];
            Array.Copy(current, next, current.Length);
            next[^1] = added;
            Array.Sort(next, static (a, b) => string.CompareOrdinal(a.Labels.Text, b.Labels.Text));
            _series = next;
            if (tags.IsEmpty)
            {
                _untagged = added.Series;
            }

            return added.Series;
        }
    }
}
