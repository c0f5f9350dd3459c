namespace AnalyticsHub.Analytics.Forecasting.Engine;

/// <summary>Weighted combination of member forecasts: points averaged by weight, and each side of the interval the
/// weighted average of the members' distances from their own point, scaled by a calibration factor.</summary>
internal static class ForecastCombiner
{
    public static (double[] Point, double[] Lower, double[] Upper) Combine(IReadOnlyList<ModelForecast?> members,
        ReadOnlySpan<double> weights, int horizon, double intervalScale)
    {
        var point = new double[horizon];
        var below = new double[horizon];
        var above = new double[horizon];
        double total = 0;
        for (var i = 0; i < members.Count; i++)
        {
            var member = members[i];
            if (member is null || weights[i] <= 0)
            {
                continue;
            }
            total += weights[i];
            for (var h = 0; h < horizon; h++)
            {
                point[h] += weights[i] * member.Point[h];
                below[h] += weights[i] * Math.Max(0, member.Point[h] - member.Lower[h]);
                above[h] += weights[i] * Math.Max(0, member.Upper[h] - member.Point[h]);
            }
        }
        if (!(total > 0))
        {
            throw new InvalidOperationException("no member forecast to combine");
        }
        var lower = new double[horizon];
        var upper = new double[horizon];
        for (var h = 0; h < horizon; h++)
        {
            // Members that dropped out leave their weight unassigned: renormalise by what remains.
            point[h] /= total;
            lower[h] = point[h] - intervalScale * below[h] / total;
            upper[h] = point[h] + intervalScale * above[h] / total;
        }
        return (point, lower, upper);
    }
}
