using System.Text;

namespace AnalyticsHub.Server.Metrics;

/// <summary>
/// One exposed metric: its name, pre-rendered HELP/TYPE/UNIT lines for both formats, and its series.
/// Instruments of several meters that map to the same name and kind share one family.
/// </summary>
internal abstract class MetricFamily
{
    private readonly byte[] _textHeader;
    private readonly byte[] _openMetricsHeader;
    private int _instruments;

    protected MetricFamily(PrometheusName name, string help, MetricType type, Aggregation aggregation)
    {
        Name = name;
        Type = type;
        Aggregation = aggregation;
        SampleName = Encoding.UTF8.GetBytes(type == MetricType.Counter ? name.Family + "_total" : name.Family);
        var typeName = type switch
        {
            MetricType.Counter => "counter",
            MetricType.Gauge => "gauge",
            _ => "histogram",
        };

        // 0.0.4 names a counter's family by its sample name (with _total); OpenMetrics without it.
        var sample = Encoding.UTF8.GetString(SampleName);
        var text = new StringBuilder().Append("# HELP ").Append(sample).Append(' ');
        LabelSet.AppendEscaped(text, help, escapeQuote: false);
        text.Append("\n# TYPE ").Append(sample).Append(' ').Append(typeName).Append('\n');
        _textHeader = Encoding.UTF8.GetBytes(text.ToString());

        var openMetrics = new StringBuilder().Append("# TYPE ").Append(name.Family).Append(' ').Append(typeName).Append('\n');
        if (name.Unit is not null)
        {
            openMetrics.Append("# UNIT ").Append(name.Family).Append(' ').Append(name.Unit).Append('\n');
        }

        openMetrics.Append("# HELP ").Append(name.Family).Append(' ');
        LabelSet.AppendEscaped(openMetrics, help, escapeQuote: true);
        openMetrics.Append('\n');
        _openMetricsHeader = Encoding.UTF8.GetBytes(openMetrics.ToString());
    }

    public PrometheusName Name { get; }

    public MetricType Type { get; }

    public Aggregation Aggregation { get; }

    /// <summary>The family name plus <c>_total</c> for counters: the name of a counter's or gauge's sample.</summary>
    protected byte[] SampleName { get; }

    protected abstract bool HasSeries { get; }

    /// <summary>Counts an instrument feeding this family.</summary>
    public void Attach() => Interlocked.Increment(ref _instruments);

    /// <summary>Returns true when the last instrument feeding this family is gone.</summary>
    public bool Detach() => Interlocked.Decrement(ref _instruments) == 0;

    public abstract void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    public abstract void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    public void Write(MetricTextWriter writer, ExpositionFormat format)
    {
        if (!HasSeries)
        {
            return;
        }

        writer.Write(format == ExpositionFormat.OpenMetrics ? _openMetricsHeader : _textHeader);
        WriteSamples(writer, format);
    }

    protected abstract void WriteSamples(MetricTextWriter writer, ExpositionFormat format);

    /// <summary><c>name{labels} </c>: the part of a sample line before its value.</summary>
    protected static void WriteSampleStart(MetricTextWriter writer, ReadOnlySpan<byte> name, LabelSet labels)
    {
        writer.Write(name);
        if (!labels.IsEmpty)
        {
            writer.Write((byte)'{');
            writer.Write(labels.Utf8);
            writer.Write((byte)'}');
        }

        writer.Write((byte)' ');
    }
}
