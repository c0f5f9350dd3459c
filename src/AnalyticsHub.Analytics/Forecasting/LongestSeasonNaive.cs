namespace AnalyticsHub.Analytics.Forecasting;

/// <summary>Seasonal naive at the longest of several seasonal periods (the week, 168, for hourly data): repeats the
/// last week, which carries both the daily and the weekly pattern. Does not fit a series with a single period
/// (that is <see cref="SeasonalNaive"/>).</summary>
public sealed class LongestSeasonNaive : IForecastModel
{
    private static readonly SeasonalNaive Naive = new();

    public string Name => "snaive-long";

    public ModelForecast? Fit(ReadOnlySpan<double> history, ForecastSpec spec) =>
        spec.SeasonalPeriods.Count < 2
            ? null
            : Naive.Fit(history, new ForecastSpec(spec.Horizon, [spec.SeasonalPeriods[^1]], spec.Level));
}
