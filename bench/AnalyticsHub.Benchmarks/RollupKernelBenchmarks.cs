using AnalyticsHub.Core.Rollups;
using AnalyticsHub.Core.Rollups.Internal;
using BenchmarkDotNet.Attributes;

namespace AnalyticsHub.Benchmarks;

/// <summary>
/// <see cref="RollupKernels"/> on one day of 1-minute buckets (1,440 doubles): the vertical
/// kernels (merging one series' column into a group's), the SIMD path as dispatched
/// (<c>Vector256</c> on this machine) against the scalar path; re-bucketing 1,440 → 288
/// (5-minute windows) and 1,440 → 24 (1-hour windows); and a whole-column sum. One operation =
/// one column of 1,440.
/// </summary>
[BenchmarkCategory("Rollups")]
public class RollupKernelBenchmarks
{
    public const int Length = 1440;

    private double[] _from = null!;
    private double[] _into = null!;
    private double[] _fiveMinutes = null!;
    private double[] _hours = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1440);
        _from = new double[Length];
        _into = new double[Length];
        for (int i = 0; i < Length; i++)
        {
            _from[i] = random.NextDouble() * 100;
            _into[i] = random.NextDouble() * 100;
        }

        _fiveMinutes = new double[RollupKernels.WindowCount(Length, 5)];
        _hours = new double[RollupKernels.WindowCount(Length, 60)];
    }

    // Add grows the destination by at most 100 per call: it stays finite however long the run.
    [Benchmark(Baseline = true)]
    public void Add_Simd() => RollupKernels.Add(_into, _from);

    [Benchmark]
    public void Add_Scalar() => RollupKernels.CombineScalar<double, AddOperator<double>>(_into, _from);

    [Benchmark]
    public void Min_Simd() => RollupKernels.Min(_into, _from);

    [Benchmark]
    public void Min_Scalar() => RollupKernels.CombineScalar<double, MinOperator>(_into, _from);

    [Benchmark]
    public void Max_Simd() => RollupKernels.Max(_into, _from);

    [Benchmark]
    public void Max_Scalar() => RollupKernels.CombineScalar<double, MaxOperator>(_into, _from);

    [Benchmark]
    public void SumWindows_5m() => RollupKernels.SumWindows(_from, 5, _fiveMinutes);

    [Benchmark]
    public void SumWindows_5m_Scalar() => ScalarWindows(_from, 5, _fiveMinutes);

    [Benchmark]
    public void SumWindows_1h() => RollupKernels.SumWindows(_from, 60, _hours);

    [Benchmark]
    public void SumWindows_1h_Scalar() => ScalarWindows(_from, 60, _hours);

    [Benchmark]
    public double Sum_Simd() => RollupKernels.Sum(_from);

    [Benchmark]
    public double Sum_Scalar() => RollupKernels.ReduceScalar<double, AddOperator<double>>(_from);

    /// <summary>The windows with the scalar reduction (same canonical order, same bits).</summary>
    private static void ScalarWindows(ReadOnlySpan<double> source, int width, Span<double> destination)
    {
        for (int w = 0, start = 0; w < destination.Length; w++, start += width)
        {
            destination[w] = RollupKernels.ReduceScalar<double, AddOperator<double>>(source.Slice(start, Math.Min(width, source.Length - start)));
        }
    }
}
