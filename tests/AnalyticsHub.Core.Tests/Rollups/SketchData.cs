using AnalyticsHub.Core.Rollups;

namespace AnalyticsHub.Core.Tests.Rollups;

/// <summary>Seeded test distributions for the sketch tests, and the exact quantile they are checked against.</summary>
internal static class SketchData
{
    public static readonly string[] Distributions =
    [
        "uniform", "lognormal", "exponential", "pareto", "constant", "wide", "negative", "mixed-with-zeros",
    ];

    public static readonly double[] Quantiles = [0, 0.5, 0.9, 0.95, 0.99, 1];

    public static double[] Generate(string distribution, int count, int seed = 1)
    {
        var random = new Random(seed);
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = distribution switch
            {
                "uniform" => 1 + (999 * random.NextDouble()),
                "lognormal" => LogNormal(random, 3, 1),
                "exponential" => -Math.Log(1 - random.NextDouble()),
                "pareto" => 1 / Math.Pow(1 - random.NextDouble(), 1 / 1.1), // shape 1.1: a heavy tail
                "constant" => 42.5,
                "wide" => Math.Exp(Math.Log(1e-3) + (random.NextDouble() * (Math.Log(1e9) - Math.Log(1e-3)))),
                "negative" => -LogNormal(random, 3, 1.5),
                "mixed-with-zeros" => random.Next(10) == 0 ? 0 : Normal(random) * 100,
                _ => throw new ArgumentOutOfRangeException(nameof(distribution), distribution, null),
            };
        }

        return values;
    }

    /// <summary>Log-uniform magnitudes over [10^lowExponent, 10^highExponent].</summary>
    public static double[] LogUniform(int count, double lowExponent, double highExponent, int seed)
    {
        var random = new Random(seed);
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = Math.Pow(10, lowExponent + ((highExponent - lowExponent) * random.NextDouble()));
        }

        return values;
    }

    public static double LogNormal(Random random, double mu, double sigma) => Math.Exp(mu + (sigma * Normal(random)));

    public static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>The value of rank ⌊q·(n−1)⌋ of the sorted values: the sketch's definition, in the same double arithmetic.</summary>
    public static double ExactQuantile(double[] sorted, double q) => sorted[(int)Math.Floor(q * (sorted.Length - 1))];

    public static QuantileSketch SketchOf(ReadOnlySpan<double> values)
    {
        var sketch = new QuantileSketch();
        foreach (double value in values)
        {
            Assert.True(sketch.Add(value));
        }

        return sketch;
    }

    public static byte[] Bytes(QuantileSketch sketch)
    {
        var bytes = new byte[sketch.GetSerializedLength()];
        Assert.Equal(bytes.Length, sketch.WriteTo(bytes));
        return bytes;
    }

    /// <summary>Relative error of an estimate; an exact zero must be estimated as exactly zero.</summary>
    public static void AssertWithinAccuracy(double exact, double estimate, string context)
    {
        if (exact == 0)
        {
            Assert.True(estimate == 0, $"{context}: exact 0, estimate {estimate:R}");
            return;
        }

        double error = Math.Abs(estimate - exact) / Math.Abs(exact);
        Assert.True(error <= QuantileSketch.RelativeAccuracy, $"{context}: exact {exact:R}, estimate {estimate:R}, relative error {error:R}");
    }
}
