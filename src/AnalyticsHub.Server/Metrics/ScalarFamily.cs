namespace AnalyticsHub.Server.Metrics;

/// <summary>A counter or gauge: one number per series, summed from increments or set to the last observation.</summary>
internal sealed class ScalarFamily(PrometheusName name, string help, MetricType type, Aggregation aggregation)
    : MetricFamily(name, help, type, aggregation)
{
    private readonly SeriesSet<ScalarSeries> _series = new(static () => new ScalarSeries());

    protected override bool HasSeries => _series.Snapshot.Length > 0;

    public override void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // Integer sums stay exact in a long; anything scaled or set goes through the double path.
        if (Aggregation == Aggregation.Sum && Name.Scale == 1)
        {
            _series.Get(tags)?.Add(value);
        }
        else
        {
            Record((double)value, tags);
        }
    }

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_series.Get(tags) is not { } series)
        {
            return;
        }

        value *= Name.Scale;
        if (Aggregation == Aggregation.Sum)
        {
            series.Add(value);
        }
        else
        {
            series.Set(value);
        }
    }

    protected override void WriteSamples(MetricTextWriter writer, ExpositionFormat format)
    {
        foreach (var (labels, series) in _series.Snapshot)
        {
            WriteSampleStart(writer, SampleName, labels);
            writer.Write(Aggregation == Aggregation.Sum ? series.Sum : series.Last);
            writer.Write((byte)'\n');
        }
    }
}

/// <summary>A counter's or gauge's value, updated with interlocked operations only.</summary>
internal sealed class ScalarSeries
{
    private long _integerSum;
    private double _fractionalSum;
    private double _last;

    public double Sum => Interlocked.Read(ref _integerSum) + Volatile.Read(ref _fractionalSum);

    public double Last => Volatile.Read(ref _last);

    public void Add(long value) => Interlocked.Add(ref _integerSum, value);

    public void Add(double value) => InterlockedDouble.Add(ref _fractionalSum, value);

    public void Set(double value) => Volatile.Write(ref _last, value);
}

/// <summary>Lock-free add on a double (compare-exchange loop; contention here is per batch, not per event).</summary>
internal static class InterlockedDouble
{
    public static void Add(ref double target, double value)
    {
        double current = Volatile.Read(ref target);
        while (true)
        {
            double seen = Interlocked.CompareExchange(ref target, current + value, current);
            if (seen.Equals(current))
            {
                return;
            }

            current = seen;
        }
    }
}
