using AnalyticsHub.Core.Rollups;
using BenchmarkDotNet.Attributes;

namespace AnalyticsHub.Benchmarks;

/// <summary>
/// <see cref="QuantileSketch"/>: adding a value (the per-event cost of a rollup series' sketch),
/// merging two sketches (query-time grouping, minute → hour roll-ups), a quantile query and the
/// persisted form. Input: 65,536 lognormal latencies in milliseconds (median 20 ms, σ = 0.75, seeded),
/// which span about 300 bins. Add: one operation = one value, into a sketch already covering
/// them (the steady state: no allocation). Merge: one operation = one merge of two ~300-bin
/// sketches (the halves of the input).
/// </summary>
/// <remarks>
/// <c>Index_*</c> isolate the value → bin mapping: the interpolated log2 read from the double's
/// bits (<c>CubicLogMapping</c>, as the sketch uses) against <c>Math.Log</c> (the exact
/// logarithmic mapping it replaces, ~1 % fewer bins). One operation = one value.
/// </remarks>
[BenchmarkCategory("Rollups")]
public class QuantileSketchBenchmarks
{
    public const int Count = 65536;

    private static readonly double InverseLogGamma =
        1 / Math.Log((1 + QuantileSketch.RelativeAccuracy) / (1 - QuantileSketch.RelativeAccuracy));

    private double[] _values = null!;
    private QuantileSketch _sketch = null!; // Add's: its counts keep growing
    private QuantileSketch _fixed = null!;  // the queried and serialized one
    private QuantileSketch _first = null!;
    private QuantileSketch _second = null!;
    private QuantileSketch _target = null!;
    private QuantileSketch _read = null!;
    private byte[] _serialized = null!;
    private byte[] _buffer = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20261125);
        _values = new double[Count];
        for (int i = 0; i < Count; i++)
        {
            double normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            _values[i] = Math.Exp(Math.Log(20) + (0.75 * normal));
        }

        _sketch = new QuantileSketch();
        _first = new QuantileSketch();
        _second = new QuantileSketch();
        for (int i = 0; i < Count; i++)
        {
            _sketch.Add(_values[i]);
            (i % 2 == 0 ? _first : _second).Add(_values[i]);
        }

        int bins = _first.BinCount;
        if (bins is < 250 or > 350)
        {
            throw new InvalidOperationException($"Expected about 300 bins, got {bins}.");
        }

        _fixed = new QuantileSketch();
        _fixed.CopyFrom(_sketch);
        _target = new QuantileSketch();
        _target.CopyFrom(_first);
        _serialized = new byte[_fixed.GetSerializedLength()];
        _fixed.WriteTo(_serialized);
        _buffer = new byte[_serialized.Length];
        _read = new QuantileSketch();
        _read.CopyFrom(_fixed);
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public ulong Add_PerValue()
    {
        var sketch = _sketch;
        var values = _values;
        for (int i = 0; i < values.Length; i++)
        {
            sketch.Add(values[i]);
        }

        return sketch.Count;
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public long Index_CubicInterpolated()
    {
        long sum = 0;
        foreach (double value in _values)
        {
            sum += Core.Rollups.Internal.CubicLogMapping.Index(value);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public long Index_MathLog()
    {
        long sum = 0;
        foreach (double value in _values)
        {
            sum += (int)Math.Ceiling(Math.Log(value) * InverseLogGamma);
        }

        return sum;
    }

    /// <summary>Merging a ~300-bin sketch into one covering the same range (counts keep growing; bins do not).</summary>
    [Benchmark]
    public ulong Merge_300Bins()
    {
        _target.MergeFrom(_second);
        return _target.Count;
    }

    [Benchmark]
    public double Quantile_P50() => _fixed.Quantile(0.5);

    [Benchmark]
    public double Quantile_P99() => _fixed.Quantile(0.99);

    [Benchmark]
    public int WriteTo() => _fixed.WriteTo(_buffer);

    [Benchmark]
    public bool TryReadFrom() => QuantileSketch.TryReadFrom(_serialized, _read);
}
