namespace AnalyticsHub.Analytics.Forecasting.Engine;

/// <summary>Weights from validation errors: the seed's rule (weight ∝ 1 / error) over the best few candidates,
/// or all weight on the best one.</summary>
internal static class EnsembleWeights
{
    /// <summary>Floor on an error so that a perfect validation fit does not take every weight by division by 0.</summary>
    private const double ErrorFloor = 1e-6;

    /// <summary>Weights summing to 1 over candidates with a finite error; NaN errors get weight 0. All zero when
    /// no error is finite.</summary>
    public static double[] FromErrors(double[] errors, CombinationRule rule, int maxMembers)
    {
        var weights = new double[errors.Length];
        var ranked = Enumerable.Range(0, errors.Length)
            .Where(i => double.IsFinite(errors[i]))
            .OrderBy(i => errors[i])
            .Take(rule == CombinationRule.BestOnly ? 1 : Math.Max(1, maxMembers))
            .ToArray();
        if (ranked.Length == 0)
        {
            return weights;
        }
        double total = 0;
        foreach (var i in ranked)
        {
            weights[i] = 1 / Math.Max(errors[i], ErrorFloor);
            total += weights[i];
        }
        foreach (var i in ranked)
        {
            weights[i] /= total;
        }
        return weights;
    }
}
