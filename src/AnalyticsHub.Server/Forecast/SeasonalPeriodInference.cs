namespace AnalyticsHub.Server.Forecast;

/// <summary>Seasonal periods implied by a series' spacing when the client names none: a daily and a weekly cycle for
/// sub-daily data (hourly → 24, 168; 15 minutes → 96, 672), a weekly one for daily data (7), none otherwise. Periods
/// the history cannot show twice are dropped.</summary>
internal static class SeasonalPeriodInference
{
    public static int[] Infer(TimeSpan spacing, int length)
    {
        var day = TimeSpan.FromDays(1);
        int[] periods = spacing == day ? [7]
            : spacing < day && day.Ticks % spacing.Ticks == 0 ? [(int)(day.Ticks / spacing.Ticks), (int)(7 * day.Ticks / spacing.Ticks)]
            : [];
        return [.. periods.Where(p => p >= 2 && 2 * p <= length)];
    }
}
