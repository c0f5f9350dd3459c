using System.Text;

namespace AnalyticsHub.Server.Metrics;

/// <summary>
/// A histogram: per series, a count per bucket and the sum, written as cumulative
/// <c>_bucket{le=...}</c> lines ending with <c>+Inf</c>, then <c>_sum</c> and <c>_count</c>.
/// </summary>
internal sealed class HistogramFamily : MetricFamily
{
    private readonly double[] _bounds;
    private readonly SeriesSet<HistogramSeries> _series;
    private readonly byte[] _bucketName;
    private readonly byte[] _sumName;
    private readonly byte[] _countName;
    private readonly byte[][] _textLe;
    private readonly byte[][] _openMetricsLe;

    public HistogramFamily(PrometheusName name, string help, double[] bounds)
        : base(name, help, MetricType.Histogram, Aggregation.Histogram)
    {
        _bounds = bounds;
        _series = new SeriesSet<HistogramSeries>(() => new HistogramSeries(bounds.Length + 1));
        _bucketName = Encoding.UTF8.GetBytes(name.Family + "_bucket");
        _sumName = Encoding.UTF8.GetBytes(name.Family + "_sum");
        _countName = Encoding.UTF8.GetBytes(name.Family + "_count");
        _textLe = [.. bounds.Select(b => Le(b, canonical: false)), Encoding.UTF8.GetBytes("le=\"+Inf\"}")];
        _openMetricsLe = [.. bounds.Select(b => Le(b, canonical: true)), Encoding.UTF8.GetBytes("le=\"+Inf\"}")];
    }

    protected override bool HasSeries => _series.Snapshot.Length > 0;

    public override void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => Record((double)value, tags);

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (double.IsNaN(value) || _series.Get(tags) is not { } series)
        {
            return;
        }

        value *= Name.Scale;
        int bucket = 0;
        while (bucket < _bounds.Length && value > _bounds[bucket])
        {
            bucket++;
        }

        series.Observe(bucket, value);
    }

    protected override void WriteSamples(MetricTextWriter writer, ExpositionFormat format)
    {
        var le = format == ExpositionFormat.OpenMetrics ? _openMetricsLe : _textLe;
        foreach (var (labels, series) in _series.Snapshot)
        {
            long cumulative = 0;
            for (int i = 0; i < le.Length; i++)
            {
                cumulative += series.BucketCount(i);
                writer.Write(_bucketName);
                writer.Write((byte)'{');
                if (!labels.IsEmpty)
                {
                    writer.Write(labels.Utf8);
                    writer.Write((byte)',');
                }

                writer.Write(le[i]);
                writer.Write((byte)' ');
                writer.Write(cumulative);
                writer.Write((byte)'\n');
            }

            // _count is the +Inf bucket by construction, so they agree even while observations land mid-scrape.
            WriteSampleStart(writer, _sumName, labels);
            writer.Write(series.Sum);
            writer.Write((byte)'\n');
            WriteSampleStart(writer, _countName, labels);
            writer.Write(cumulative);
            writer.Write((byte)'\n');
        }
    }

    private static byte[] Le(double bound, bool canonical)
    {
        Span<byte> number = stackalloc byte[32];
        int length = MetricTextWriter.FormatDouble(bound, number, canonical);
        return [.. "le=\""u8, .. number[..length], .. "\"}"u8];
    }
}

/// <summary>One histogram series: non-cumulative bucket counts (the last is +Inf) and the sum of observations.</summary>
internal sealed class HistogramSeries(int buckets)
{
    private readonly long[] _counts = new long[buckets];
    private double _sum;

    public double Sum => Volatile.Read(ref _sum);

    public long BucketCount(int bucket) => Interlocked.Read(ref _counts[bucket]);

    public void Observe(int bucket, double value)
    {
        Interlocked.Increment(ref _counts[bucket]);
        InterlockedDouble.Add(ref _sum, value);
    }
}
