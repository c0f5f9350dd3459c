namespace AnalyticsHub.Analytics.Forecasting.Arima;

/// <summary>Nonlinear least squares by Levenberg–Marquardt with a forward-difference Jacobian and Marquardt's
/// diagonal scaling (so a constant in the thousands and a coefficient in (−1, 1) share one damping). Small and
/// allocation-light: the few parameters of an ARIMA make the normal equations a handful of rows.</summary>
internal static class LevenbergMarquardt
{
    private const double RelativeTolerance = 1e-8;

    /// <summary>Moves <paramref name="parameters"/> to a local minimum of the sum of squared residuals and returns that
    /// sum (infinity when the start itself cannot be evaluated).</summary>
    public static double Minimize(IResidualFunction function, Span<double> parameters, int maxIterations)
    {
        var k = parameters.Length;
        var n = function.ResidualCount;
        var residuals = new double[n];
        var trial = new double[n];
        var jacobian = new double[n * k];
        Span<double> normal = stackalloc double[k * k];
        Span<double> system = stackalloc double[k * k];
        Span<double> gradient = stackalloc double[k];
        Span<double> step = stackalloc double[k];
        Span<double> candidate = stackalloc double[k];

        function.Evaluate(parameters, residuals);
        var cost = SumOfSquares(residuals);
        if (!double.IsFinite(cost) || k == 0)
        {
            return cost;
        }
        var damping = 1e-3;
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            ForwardDifferenceJacobian(function, parameters, residuals, trial, jacobian);
            NormalEquations(jacobian, residuals, k, normal, gradient);
            var improved = false;
            while (damping < 1e10)
            {
                normal.CopyTo(system);
                for (var i = 0; i < k; i++)
                {
                    system[i * k + i] += damping * Math.Max(normal[i * k + i], 1e-12);
                    step[i] = -gradient[i];
                }
                if (!SolveInPlace(system, step, k))
                {
                    damping *= 10;
                    continue;
                }
                for (var i = 0; i < k; i++)
                {
                    candidate[i] = parameters[i] + step[i];
                }
                function.Evaluate(candidate, trial);
                var trialCost = SumOfSquares(trial);
                if (trialCost < cost)
                {
                    candidate.CopyTo(parameters);
                    trial.CopyTo(residuals, 0);
                    var relativeGain = (cost - trialCost) / Math.Max(cost, double.Epsilon);
                    cost = trialCost;
                    damping = Math.Max(damping / 10, 1e-12);
                    improved = relativeGain > RelativeTolerance;
                    break;
                }
                damping *= 10;
            }
            if (!improved)
            {
                break;
            }
        }
        return cost;
    }

    private static void ForwardDifferenceJacobian(IResidualFunction function, Span<double> parameters, double[] residuals, double[] scratch, double[] jacobian)
    {
        var k = parameters.Length;
        var n = residuals.Length;
        for (var j = 0; j < k; j++)
        {
            var saved = parameters[j];
            var h = 1e-6 * Math.Max(1, Math.Abs(saved));
            parameters[j] = saved + h;
            function.Evaluate(parameters, scratch);
            parameters[j] = saved;
            for (var i = 0; i < n; i++)
            {
                var derivative = (scratch[i] - residuals[i]) / h;
                jacobian[i * k + j] = double.IsFinite(derivative) ? derivative : 0;
            }
        }
    }

    private static void NormalEquations(double[] jacobian, double[] residuals, int k, Span<double> normal, Span<double> gradient)
    {
        normal.Clear();
        gradient.Clear();
        for (var i = 0; i < residuals.Length; i++)
        {
            var row = jacobian.AsSpan(i * k, k);
            var r = residuals[i];
            for (var a = 0; a < k; a++)
            {
                gradient[a] += row[a] * r;
                for (var b = a; b < k; b++)
                {
                    normal[a * k + b] += row[a] * row[b];
                }
            }
        }
        for (var a = 0; a < k; a++)
        {
            for (var b = 0; b < a; b++)
            {
                normal[a * k + b] = normal[b * k + a];
            }
        }
    }

    /// <summary>Gaussian elimination with partial pivoting; the solution replaces <paramref name="rhs"/>.</summary>
    internal static bool SolveInPlace(Span<double> matrix, Span<double> rhs, int k)
    {
        for (var col = 0; col < k; col++)
        {
            var pivot = col;
            for (var row = col + 1; row < k; row++)
            {
                if (Math.Abs(matrix[row * k + col]) > Math.Abs(matrix[pivot * k + col]))
                {
                    pivot = row;
                }
            }
            if (!(Math.Abs(matrix[pivot * k + col]) > 1e-300))
            {
                return false;
            }
            if (pivot != col)
            {
                for (var j = 0; j < k; j++)
                {
                    (matrix[col * k + j], matrix[pivot * k + j]) = (matrix[pivot * k + j], matrix[col * k + j]);
                }
                (rhs[col], rhs[pivot]) = (rhs[pivot], rhs[col]);
            }
            for (var row = col + 1; row < k; row++)
            {
                var factor = matrix[row * k + col] / matrix[col * k + col];
                for (var j = col; j < k; j++)
                {
                    matrix[row * k + j] -= factor * matrix[col * k + j];
                }
                rhs[row] -= factor * rhs[col];
            }
        }
        for (var row = k - 1; row >= 0; row--)
        {
            var sum = rhs[row];
            for (var j = row + 1; j < k; j++)
            {
                sum -= matrix[row * k + j] * rhs[j];
            }
            rhs[row] = sum / matrix[row * k + row];
        }
        return true;
    }

    private static double SumOfSquares(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (var v in values)
        {
            sum += v * v;
        }
        return double.IsNaN(sum) ? double.PositiveInfinity : sum;
    }
}
