namespace AnalyticsHub.Analytics.Forecasting.Arima;

/// <summary>Fits one ARIMA form to an already differenced series: by conditional sum of squares (fast; what the
/// order search compares), and then, for the chosen form, by exact maximum likelihood started from the CSS estimates
/// (R's "CSS-ML").</summary>
internal static class ArimaFitter
{
    private const int ConditionalIterations = 50;

    /// <summary>CSS fit scored over <paramref name="differenced"/>[<paramref name="scoreStart"/>..]; null when there
    /// are too few points or the fit diverges.</summary>
    public static ArimaFit? FitConditional(ArimaOrder order, double[] differenced, int scoreStart)
    {
        var start = Math.Max(scoreStart, order.ExpandedArDegree);
        var observations = differenced.Length - start;
        if (observations <= order.CoefficientCount + 2)
        {
            return null;
        }
        var parameters = StartingValues(order, differenced);
        var objective = new ConditionalSumOfSquaresObjective(new ArmaPolynomials(order), differenced, start);
        var sumSquares = LevenbergMarquardt.Minimize(objective, parameters, ConditionalIterations);
        if (!double.IsFinite(sumSquares) || sumSquares <= 0)
        {
            return null;
        }
        var sigma2 = sumSquares / observations;
        var minusTwoLogLikelihood = observations * (Math.Log(2 * Math.PI * sigma2) + 1);
        return new ArimaFit(order, parameters, sigma2, minusTwoLogLikelihood, observations, exact: false);
    }

    /// <summary>Exact maximum likelihood from the CSS estimates of <paramref name="start"/>; returns
    /// <paramref name="start"/> unchanged when the likelihood cannot be evaluated there.</summary>
    public static ArimaFit RefineExact(ArimaFit start, double[] differenced, int maxIterations)
    {
        var parameters = (double[])start.Parameters.Clone();
        var objective = new ExactLikelihoodObjective(new ArmaPolynomials(start.Order), differenced);
        var sumSquares = LevenbergMarquardt.Minimize(objective, parameters, maxIterations);
        if (!double.IsFinite(sumSquares))
        {
            return start;
        }
        var minusTwoLogLikelihood = objective.MinusTwoLogLikelihood(parameters, out var sigma2);
        return double.IsFinite(minusTwoLogLikelihood)
            ? new ArimaFit(start.Order, parameters, sigma2, minusTwoLogLikelihood, differenced.Length, exact: true)
            : start;
    }

    private static double[] StartingValues(ArimaOrder order, double[] differenced)
    {
        var parameters = new double[order.CoefficientCount];
        if (order.Constant)
        {
            double sum = 0;
            foreach (var value in differenced)
            {
                sum += value;
            }
            parameters[^1] = sum / differenced.Length;
        }
        return parameters;
    }
}
