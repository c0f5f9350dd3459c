namespace AnalyticsHub.Analytics.Forecasting.Decomposition;

/// <summary>The seasonal components found by <see cref="MultiSeasonalDecomposition"/> and the seasonally adjusted
/// series (trend plus remainder).</summary>
public sealed class SeasonalComponents(int[] periods, double[][] seasonal, double[] adjusted)
{
    /// <summary>The periods decomposed, shortest first.</summary>
    public IReadOnlyList<int> Periods => periods;

    /// <summary>Component k, aligned with the series.</summary>
    public ReadOnlySpan<double> Seasonal(int k) => seasonal[k];

    public double[] Adjusted => adjusted;

    /// <summary>Adds the components' continuation, each repeating its last cycle, to a forecast from the end of the series.</summary>
    public void AddForecast(Span<double> forecast)
    {
        var n = adjusted.Length;
        for (var k = 0; k < periods.Length; k++)
        {
            var p = periods[k];
            var component = seasonal[k];
            for (var h = 0; h < forecast.Length; h++)
            {
                forecast[h] += component[n - p + h % p];
            }
        }
    }
}
