using System.Globalization;
using AnalyticsHub.Core.Rollups;

namespace AnalyticsHub.Benchmarks;

/// <summary>
/// <see cref="QuantileSketch"/> against exact quantiles: for each distribution, 1,000,000 seeded
/// values (three seeds), the largest relative error seen per quantile, the largest over 1,001
/// evenly spaced quantiles (every 0.1 %), and the sketch's size (bins in use, serialized bytes,
/// heap bytes of the last seed's sketch).
/// <c>dotnet run -c Release --project bench/AnalyticsHub.Benchmarks -- sketch-accuracy</c>.
/// </summary>
public static class SketchAccuracyReport
{
    public const string Command = "sketch-accuracy";

    private const int Values = 1_000_000;
    private const int Seeds = 3;
    private static readonly double[] Quantiles = [0, 0.5, 0.9, 0.95, 0.99, 0.999, 1];

    private static readonly (string Name, Func<Random, double> Next)[] Distributions =
    [
        ("uniform 1..1000", r => 1 + (999 * r.NextDouble())),
        ("lognormal μ=3 σ=1", r => Math.Exp(3 + Normal(r))),
        ("exponential λ=1", r => -Math.Log(1 - r.NextDouble())),
        ("pareto α=1.1 (heavy tail)", r => 1 / Math.Pow(1 - r.NextDouble(), 1 / 1.1)),
        ("constant 42.5", _ => 42.5),
        ("log-uniform 1e-3..1e9", r => Math.Exp(Math.Log(1e-3) + (r.NextDouble() * Math.Log(1e12)))),
        ("negative lognormal σ=1.5", r => -Math.Exp(3 + (1.5 * Normal(r)))),
        ("normal σ=100, 10 % zeros", r => r.Next(10) == 0 ? 0 : 100 * Normal(r)),
    ];

    public static void Run(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var culture = CultureInfo.InvariantCulture;
        output.WriteLine($"QuantileSketch accuracy: {Values:N0} values x {Seeds} seeds per distribution; largest relative error |estimate - exact| / |exact| (guarantee: {QuantileSketch.RelativeAccuracy:P0}).");
        output.WriteLine("Exact quantile q = value of rank floor(q(n-1)) of the sorted input. 'every 0.1 %' = max over q = 0, 0.001, ..., 1.");
        output.WriteLine();
        output.Write("| distribution |");
        foreach (double q in Quantiles)
        {
            output.Write(string.Create(culture, $" p{q * 100} |"));
        }

        output.WriteLine(" every 0.1 % | bins | bytes serialized | heap bytes |");
        output.WriteLine("|---|" + string.Concat(Enumerable.Repeat("---:|", Quantiles.Length)) + "---:|---:|---:|---:|");

        var values = new double[Values];
        foreach (var (name, next) in Distributions)
        {
            var sketch = new QuantileSketch(); // fresh, so the heap bytes are this distribution's
            var worst = new double[Quantiles.Length];
            double worstAny = 0;
            for (int seed = 1; seed <= Seeds; seed++)
            {
                var random = new Random(seed);
                sketch.Clear();
                for (int i = 0; i < Values; i++)
                {
                    values[i] = next(random);
                    sketch.Add(values[i]);
                }

                Array.Sort(values);
                for (int k = 0; k < Quantiles.Length; k++)
                {
                    worst[k] = Math.Max(worst[k], Error(values, sketch, Quantiles[k]));
                }

                for (int k = 0; k <= 1000; k++)
                {
                    worstAny = Math.Max(worstAny, Error(values, sketch, k / 1000.0));
                }
            }

            output.Write($"| {name} |");
            foreach (double error in worst)
            {
                output.Write(string.Create(culture, $" {error * 100:0.000} % |"));
            }

            output.WriteLine(string.Create(culture, $" {worstAny * 100:0.0000} % | {sketch.BinCount} | {sketch.GetSerializedLength():N0} | {sketch.MemoryBytes:N0} |"));
        }
    }

    private static double Error(double[] sorted, QuantileSketch sketch, double q)
    {
        double exact = sorted[(int)Math.Floor(q * (sorted.Length - 1))];
        double estimate = sketch.Quantile(q);
        return exact == 0 ? (estimate == 0 ? 0 : double.PositiveInfinity) : Math.Abs(estimate - exact) / Math.Abs(exact);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
