namespace AnalyticsHub.Analytics.Forecasting.Prophet;

/// <summary>The maximum a posteriori fit of the Prophet-style regression on scaled data: Gaussian noise σ², a
/// Laplace(0, τ) prior on each slope change δ_j (an L1 penalty), Gaussian priors on the other coefficients
/// (ridge penalties). It minimises RSS/(2σ²) + n·log σ + Σ|δ_j|/τ + Σ β_k²/(2s_k²) by majorise–minimise (an
/// iteratively reweighted ridge): |δ| is bounded above by the quadratic δ²/(2|δ⁰|) + |δ⁰|/2 touching it at the
/// current δ⁰, so each step solves the normal equations (XᵀX + D)β = Xᵀy by Cholesky with
/// D = σ²/(τ·|δ⁰_j|) on the changepoint columns and σ²/s_k² on the others, then sets σ² = RSS/n. Every step
/// lowers the objective; slope changes the data do not support shrink towards 0. XᵀX is formed once.</summary>
internal static class ProphetEstimator
{
    private const int MaxIterations = 100;

    /// <summary>Stop when no coefficient (on the [0, 1] scale) moves more than this.</summary>
    private const double Tolerance = 1e-8;

    /// <summary>|δ⁰| is floored here: the majoriser's weight 1/|δ⁰| is infinite at 0.</summary>
    private const double SlopeChangeFloor = 1e-10;

    /// <summary>Prophet's Normal(0, 5) priors on the base slope and intercept: a formality on the [0, 1] scale.</summary>
    private const double TrendPriorScale = 5;

    /// <summary>Ridge of the first, nearly unpenalised solve that starts the iteration (relative to σ² = 1).</summary>
    private const double PilotRidge = 1e-8;

    /// <summary>Fits <paramref name="y"/> (already scaled) on <paramref name="design"/>; null when there are no more
    /// points than columns or the normal equations are singular.</summary>
    public static ProphetFit? Fit(ProphetDesign design, ReadOnlySpan<double> y, ProphetOptions options)
    {
        var n = y.Length;
        var p = design.ColumnCount;
        if (n <= p)
        {
            return null;
        }
        var x = new double[n * p];
        for (var i = 0; i < n; i++)
        {
            design.FillRow(i, x.AsSpan(i * p, p));
        }
        var gram = new double[p * p];
        var xty = new double[p];
        AccumulateNormalEquations(x, y, p, gram, xty);
        var precision = PriorPrecisions(design, options);

        var work = new double[p * p];
        var beta = new double[p];
        var fitted = new double[n];
        var penalty = new double[p];
        penalty.AsSpan().Fill(PilotRidge);
        if (!Solve(gram, xty, penalty, work, beta))
        {
            return null;
        }
        var sigma2 = ResidualSumOfSquares(x, y, beta, fitted) / n;
        var changepoints = beta.AsSpan(ProphetDesign.ChangepointStart, design.ChangepointCount);
        var previous = new double[p];
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            for (var k = 0; k < p; k++)
            {
                penalty[k] = sigma2 * precision[k];
            }
            for (var j = 0; j < changepoints.Length; j++)
            {
                penalty[ProphetDesign.ChangepointStart + j] =
                    sigma2 / (options.ChangepointPriorScale * Math.Max(Math.Abs(changepoints[j]), SlopeChangeFloor));
            }
            beta.CopyTo(previous, 0);
            if (!Solve(gram, xty, penalty, work, beta))
            {
                return null;
            }
            sigma2 = ResidualSumOfSquares(x, y, beta, fitted) / n;
            if (MaxDifference(beta, previous) < Tolerance)
            {
                break;
            }
        }

        var noiseVariance = sigma2 * n / (n - p);
        return new ProphetFit(design, beta, noiseVariance, fitted);
    }

    /// <summary>Lower triangle of XᵀX (all that <see cref="Cholesky.Factor"/> reads) and Xᵀy.</summary>
    private static void AccumulateNormalEquations(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int p,
        Span<double> gram, Span<double> xty)
    {
        for (var i = 0; i < y.Length; i++)
        {
            var row = x.Slice(i * p, p);
            for (var j = 0; j < p; j++)
            {
                var value = row[j];
                xty[j] += value * y[i];
                var gramRow = gram.Slice(j * p, j + 1);
                for (var k = 0; k <= j; k++)
                {
                    gramRow[k] += value * row[k];
                }
            }
        }
    }

    /// <summary>1/s² per column for the Gaussian priors; the changepoint entries are replaced by the L1 majoriser.</summary>
    private static double[] PriorPrecisions(ProphetDesign design, ProphetOptions options)
    {
        var precision = new double[design.ColumnCount];
        precision[0] = precision[1] = 1 / (TrendPriorScale * TrendPriorScale);
        precision.AsSpan(design.FourierStart, design.EventStart - design.FourierStart)
            .Fill(1 / (options.SeasonalityPriorScale * options.SeasonalityPriorScale));
        precision.AsSpan(design.EventStart).Fill(1 / (options.EventPriorScale * options.EventPriorScale));
        return precision;
    }

    private static bool Solve(ReadOnlySpan<double> gram, ReadOnlySpan<double> xty, ReadOnlySpan<double> penalty,
        Span<double> work, Span<double> beta)
    {
        var p = xty.Length;
        gram.CopyTo(work);
        for (var k = 0; k < p; k++)
        {
            work[k * p + k] += penalty[k];
        }
        if (!Cholesky.Factor(work, p))
        {
            return false;
        }
        xty.CopyTo(beta);
        Cholesky.Solve(work, p, beta);
        return true;
    }

    private static double ResidualSumOfSquares(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> beta,
        Span<double> fitted)
    {
        var p = beta.Length;
        double sum = 0;
        for (var i = 0; i < y.Length; i++)
        {
            var row = x.Slice(i * p, p);
            double value = 0;
            for (var k = 0; k < p; k++)
            {
                value += row[k] * beta[k];
            }
            fitted[i] = value;
            sum += (y[i] - value) * (y[i] - value);
        }
        return sum;
    }

    private static double MaxDifference(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double max = 0;
        for (var k = 0; k < a.Length; k++)
        {
            max = Math.Max(max, Math.Abs(a[k] - b[k]));
        }
        return max;
    }
}
