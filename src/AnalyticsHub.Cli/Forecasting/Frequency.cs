using System.Globalization;

namespace AnalyticsHub.Cli.Forecasting;

/// <summary>The --frequency option: a name or a seasonal period, mapped to the seasonal periods the models use.</summary>
internal static class Frequency
{
    public const string Help = "hourly (periods 24 and 168), daily (7), weekly (none), monthly (12), quarterly (4), yearly (none), or a period as an integer";

    public static int[] SeasonalPeriods(string frequency) => frequency.Trim().ToLowerInvariant() switch
    {
        "hourly" => [24, 168],
        "daily" => [7],
        "weekly" or "yearly" => [],
        "monthly" => [12],
        "quarterly" => [4],
        var other when int.TryParse(other, NumberStyles.None, CultureInfo.InvariantCulture, out var period) && period >= 1 =>
            period == 1 ? [] : [period],
        _ => throw new InputException($"unknown frequency '{frequency}': use {Help}"),
    };
}
