namespace AnalyticsHub.Analytics.Tests.Arima;

/// <summary>Seeded synthetic series for the ARIMA tests.</summary>
internal static class ArimaTestSeries
{
    public static double[] Gaussian(int length, int seed)
    {
        var random = new Random(seed);
        var values = new double[length];
        for (var t = 0; t < length; t++)
        {
            // Box–Muller; 1 − U keeps the logarithm finite.
            values[t] = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        }
        return values;
    }

    public static double[] Ar1(int length, double phi, int seed)
    {
        var shocks = Gaussian(length, seed);
        var values = new double[length];
        for (var t = 0; t < length; t++)
        {
            values[t] = (t > 0 ? phi * values[t - 1] : 0) + shocks[t];
        }
        return values;
    }

    public static double[] RandomWalk(int length, int seed)
    {
        var shocks = Gaussian(length, seed);
        for (var t = 1; t < length; t++)
        {
            shocks[t] += shocks[t - 1];
        }
        return shocks;
    }
}
