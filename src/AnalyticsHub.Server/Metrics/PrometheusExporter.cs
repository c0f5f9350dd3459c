using System.Buffers;
using System.Diagnostics.Metrics;

namespace AnalyticsHub.Server.Metrics;

/// <summary>
/// Aggregates the measurements of the selected meters (by default the hub's <c>AnalyticsHub.*</c>
/// and the runtime's <c>System.Runtime</c>) and writes them in Prometheus or OpenMetrics text on
/// demand. Recording is an interlocked update of the instrument's series, found without a lock;
/// a scrape collects observable instruments and renders, one scrape at a time.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    private static readonly byte[] Eof = "# EOF\n"u8.ToArray();

    /// <summary>
    /// System.Runtime instruments that report a current value but are declared as ObservableCounter
    /// (.NET 9 and 10); exported as the gauges they are, so rate() is never applied to them.
    /// </summary>
    private static readonly HashSet<string> RuntimeCurrentValues = ["dotnet.thread_pool.thread.count", "dotnet.thread_pool.queue.length"];

    private readonly Func<string, bool> _includeMeter;
    private readonly MeterListener _listener = new();
    private readonly Lock _registryGate = new();
    private readonly Dictionary<string, MetricFamily> _byName = new(StringComparer.Ordinal);
    private readonly Lock _scrapeGate = new();
    private volatile MetricFamily[] _families = [];

    /// <param name="includeMeter">Which meters (by name) to export.</param>
    public PrometheusExporter(Func<string, bool> includeMeter)
    {
        _includeMeter = includeMeter;
        _listener.InstrumentPublished = OnInstrumentPublished;
        _listener.MeasurementsCompleted = OnMeasurementsCompleted;
        _listener.SetMeasurementEventCallback<long>(static (_, v, tags, state) => ((MetricFamily)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, v, tags, state) => ((MetricFamily)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, v, tags, state) => ((MetricFamily)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<byte>(static (_, v, tags, state) => ((MetricFamily)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, v, tags, state) => ((MetricFamily)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, v, tags, state) => ((MetricFamily)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<decimal>(static (_, v, tags, state) => ((MetricFamily)state!).Record((double)v, tags));
        _listener.Start();
    }

    /// <summary>The hub's meters and the runtime's (GC, memory, thread pool, CPU; published by .NET 9+).</summary>
    public static bool IsHubOrRuntimeMeter(string meterName) =>
        meterName.StartsWith("AnalyticsHub.", StringComparison.Ordinal) || meterName == "System.Runtime";

    /// <summary>Collects observable instruments and writes every metric, ordered by name, into <paramref name="output"/>.</summary>
    public void Write(IBufferWriter<byte> output, ExpositionFormat format)
    {
        var writer = new MetricTextWriter(output);
        lock (_scrapeGate)
        {
            _listener.RecordObservableInstruments();
            foreach (var family in _families)
            {
                family.Write(writer, format);
            }
        }

        if (format == ExpositionFormat.OpenMetrics)
        {
            writer.Write(Eof);
        }
    }

    public void Dispose() => _listener.Dispose();

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (!_includeMeter(instrument.Meter.Name) || Classify(instrument) is not var (type, aggregation))
        {
            return;
        }

        var name = PrometheusNaming.For(instrument.Name, instrument.Unit, type);
        MetricFamily family;
        lock (_registryGate)
        {
            if (_byName.TryGetValue(name.Family, out var existing))
            {
                // Same name from another meter: shared when it means the same kind of thing, else the first one keeps the name.
                if (existing.Type != type || existing.Aggregation != aggregation || existing.Name.Scale != name.Scale)
                {
                    return;
                }

                family = existing;
            }
            else
            {
                var help = string.IsNullOrWhiteSpace(instrument.Description) ? instrument.Name : instrument.Description;
                family = type == MetricType.Histogram
                    ? new HistogramFamily(name, help, HistogramBounds.For(name, AdvisedBounds(instrument)))
                    : new ScalarFamily(name, help, type, aggregation);
                _byName.Add(name.Family, family);
                _families = [.. _byName.Values.OrderBy(f => f.Name.Family, StringComparer.Ordinal)];
            }

            family.Attach();
        }

        listener.EnableMeasurementEvents(instrument, family);
    }

    private void OnMeasurementsCompleted(Instrument instrument, object? state)
    {
        if (state is not MetricFamily family)
        {
            return;
        }

        lock (_registryGate)
        {
            if (family.Detach() && _byName.Remove(family.Name.Family))
            {
                _families = [.. _byName.Values.OrderBy(f => f.Name.Family, StringComparer.Ordinal)];
            }
        }
    }

    private static (MetricType, Aggregation)? Classify(Instrument instrument)
    {
        var type = instrument.GetType();
        if (!type.IsGenericType)
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        if (instrument.Meter.Name == "System.Runtime" && RuntimeCurrentValues.Contains(instrument.Name))
        {
            return (MetricType.Gauge, Aggregation.LastValue);
        }

        if (definition == typeof(Counter<>))
        {
            return (MetricType.Counter, Aggregation.Sum);
        }

        if (definition == typeof(ObservableCounter<>))
        {
            return (MetricType.Counter, Aggregation.LastValue); // observations are running totals
        }

        if (definition == typeof(UpDownCounter<>))
        {
            return (MetricType.Gauge, Aggregation.Sum);
        }

        if (definition == typeof(ObservableUpDownCounter<>) || definition == typeof(ObservableGauge<>) || definition == typeof(Gauge<>))
        {
            return (MetricType.Gauge, Aggregation.LastValue);
        }

        if (definition == typeof(Histogram<>))
        {
            return (MetricType.Histogram, Aggregation.Histogram);
        }

        return null;
    }

    private static IEnumerable<double>? AdvisedBounds(Instrument instrument) => instrument switch
    {
        Histogram<double> h => h.Advice?.HistogramBucketBoundaries,
        Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
        Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
        Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b),
        _ => null,
    };
}
