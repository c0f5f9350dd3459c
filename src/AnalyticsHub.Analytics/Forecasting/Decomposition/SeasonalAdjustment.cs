namespace AnalyticsHub.Analytics.Forecasting.Decomposition;

/// <summary>The M4 benchmarks' seasonal adjustment: when the 90 % <see cref="SeasonalityTest"/> finds a season
/// (and the data are positive and hold three seasons), divide by classical multiplicative seasonal indices;
/// forecasts of the adjusted series are multiplied back. Otherwise the identity.</summary>
public sealed class SeasonalAdjustment
{
    private readonly double[] _indices;

    private SeasonalAdjustment(double[] indices) => _indices = indices;

    /// <summary>No adjustment.</summary>
    public static SeasonalAdjustment None { get; } = new([]);

    public bool IsSeasonal => _indices.Length > 0;

    /// <summary>Multiplicative seasonal index per phase (phase j is the season of observation j); empty when none.</summary>
    public IReadOnlyList<double> Indices => _indices;

    public static SeasonalAdjustment Detect(ReadOnlySpan<double> y, int m)
    {
        if (m < 2 || y.Length < 3 * m || !SeasonalityTest.IsSeasonal(y, m))
        {
            return None;
        }
        foreach (var value in y)
        {
            if (!(value > 0))
            {
                return None;
            }
        }
        return new SeasonalAdjustment(ClassicalDecomposition.SeasonalIndices(y, m, multiplicative: true));
    }

    /// <summary>The seasonally adjusted copy of <paramref name="y"/>.</summary>
    public double[] Remove(ReadOnlySpan<double> y)
    {
        var adjusted = y.ToArray();
        if (IsSeasonal)
        {
            for (var t = 0; t < adjusted.Length; t++)
            {
                adjusted[t] /= _indices[t % _indices.Length];
            }
        }
        return adjusted;
    }

    /// <summary>Puts the season back into forecasts made after <paramref name="observations"/> points, in place.</summary>
    public void Restore(Span<double> forecast, int observations)
    {
        if (!IsSeasonal)
        {
            return;
        }
        for (var h = 0; h < forecast.Length; h++)
        {
            forecast[h] *= _indices[(observations + h) % _indices.Length];
        }
    }

    /// <summary>Restores point and bounds of a forecast of the adjusted series.</summary>
    public ModelForecast Restore(ModelForecast forecast, int observations)
    {
        Restore(forecast.Point, observations);
        Restore(forecast.Lower, observations);
        Restore(forecast.Upper, observations);
        return forecast;
    }
}
