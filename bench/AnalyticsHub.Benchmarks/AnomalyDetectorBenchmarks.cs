using AnalyticsHub.Analytics.Anomalies;
using BenchmarkDotNet.Attributes;

namespace AnalyticsHub.Benchmarks;

/// <summary>
/// Cost per point of each anomaly detector and the ensemble in steady state: <see cref="SeriesCount"/> warmed-up
/// instances (one per series, as the hub runs them) each take <see cref="PointsPerSeries"/> points per invocation,
/// round-robin, so the working set is many series, not one hot instance. One operation = one point. GlobalSetup also
/// prints the memory one warmed-up instance retains (GC.GetTotalMemory around 1,000 instances).
/// </summary>
[BenchmarkCategory("Anomaly")]
public class AnomalyDetectorBenchmarks
{
    public const int SeriesCount = 64;
    public const int PointsPerSeries = 16;
    public const int PointsPerInvoke = SeriesCount * PointsPerSeries;

    private const int WarmUpPoints = 1000; // past every detector's warm-up (the seasonal one decides at 700)
    private const int SeriesLength = 4096;
    private const long Spacing = 300;

    private double[] _values = [];
    private IAnomalyDetector[] _detectors = [];
    private long _next;

    [Params("robust-z", "iqr", "ewma", "seasonal", "level-shift", "trend-change", "volatility-shift", "isolation-forest", "context-novelty", "autoencoder", "ensemble")]
    public string Detector { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        // A noisy daily cycle at 5-minute spacing with an occasional spike: every code path runs.
        var random = new Random(1);
        _values = new double[SeriesLength];
        for (int i = 0; i < SeriesLength; i++)
        {
            _values[i] = 100 + (20 * Math.Sin(2 * Math.PI * i / 288)) + (random.NextDouble() * 4) + (i % 997 == 0 ? 40 : 0);
        }

        _detectors = [.. Enumerable.Range(0, SeriesCount).Select(_ => WarmedUp())];
        _next = WarmUpPoints;
        Console.WriteLine($"// {Detector}: {RetainedBytesPerSeries():N0} bytes retained per warmed-up series");
    }

    [Benchmark(OperationsPerInvoke = PointsPerInvoke)]
    public double Observe()
    {
        double sum = 0;
        long start = _next;
        for (int p = 0; p < PointsPerSeries; p++)
        {
            long index = start + p;
            double value = _values[index % SeriesLength];
            long timestamp = index * Spacing;
            foreach (var detector in _detectors)
            {
                sum += detector.Observe(timestamp, value).Score;
            }
        }

        _next = start + PointsPerSeries;
        return sum;
    }

    private IAnomalyDetector WarmedUp()
    {
        var detector = Create(Detector);
        for (int i = 0; i < WarmUpPoints; i++)
        {
            detector.Observe(i * Spacing, _values[i]);
        }

        return detector;
    }

    private long RetainedBytesPerSeries()
    {
        const int instances = 1000;
        long before = GC.GetTotalMemory(forceFullCollection: true);
        var kept = new IAnomalyDetector[instances];
        for (int i = 0; i < instances; i++)
        {
            kept[i] = WarmedUp();
        }

        long after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(kept);
        return (after - before) / instances;
    }

    private static IAnomalyDetector Create(string name) =>
        AnomalyDetectorCatalog.Create(name) ?? throw new ArgumentOutOfRangeException(nameof(name), name, "unknown detector");
}
