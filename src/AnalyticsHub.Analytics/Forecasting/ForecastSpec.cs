namespace AnalyticsHub.Analytics.Forecasting;

/// <summary>What to forecast: how many steps ahead, the seasonal periods of the series (e.g. 24 and 168 for
/// hourly data; empty when it has none) and the central coverage of the prediction interval.</summary>
public sealed record ForecastSpec
{
    public ForecastSpec(int horizon, IReadOnlyList<int> seasonalPeriods, double level = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(level, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(level, 1.0);
        foreach (var period in seasonalPeriods)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(period, 2, nameof(seasonalPeriods));
        }
        Horizon = horizon;
        SeasonalPeriods = seasonalPeriods;
        Level = level;
    }

    public int Horizon { get; }

    /// <summary>Seasonal periods, shortest first.</summary>
    public IReadOnlyList<int> SeasonalPeriods { get; }

    /// <summary>Central coverage of the interval, in (0, 1): 0.95 for a 95 % interval.</summary>
    public double Level { get; }

    /// <summary>The shortest seasonal period, or 1 when the series has none.</summary>
    public int PrimaryPeriod => SeasonalPeriods.Count > 0 ? SeasonalPeriods[0] : 1;
}
