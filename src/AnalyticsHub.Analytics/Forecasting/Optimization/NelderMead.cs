namespace AnalyticsHub.Analytics.Forecasting.Optimization;

/// <summary>Nelder–Mead downhill simplex for the few smoothing parameters of a model. Bounds are the objective's
/// business (it returns +∞ outside them), which the simplex treats as a very bad point. The work arrays are
/// allocated once per minimisation; the evaluations themselves allocate nothing.</summary>
internal static class NelderMead
{
    private const double Reflection = 1.0;
    private const double Expansion = 2.0;
    private const double Contraction = 0.5;
    private const double Shrink = 0.5;

    /// <summary>Minimises from <paramref name="point"/> (overwritten with the best point found), with initial
    /// simplex edges <paramref name="steps"/>. Stops when the simplex's values agree to a relative
    /// <paramref name="tolerance"/> or after <paramref name="maxEvaluations"/>. Returns the best value.</summary>
    public static double Minimize<TObjective>(TObjective objective, Span<double> point, ReadOnlySpan<double> steps,
        int maxEvaluations, double tolerance = 1e-8)
        where TObjective : IObjective
    {
        var d = point.Length;
        var vertices = new double[(d + 1) * d];
        var values = new double[d + 1];
        var centroid = new double[d];
        var trial = new double[d];
        var trial2 = new double[d];

        for (var v = 0; v <= d; v++)
        {
            var vertex = vertices.AsSpan(v * d, d);
            point.CopyTo(vertex);
            if (v > 0)
            {
                vertex[v - 1] += steps[v - 1];
            }
            values[v] = Value(objective, vertex);
        }
        var evaluations = d + 1;

        while (evaluations < maxEvaluations)
        {
            Order(values, out var best, out var worst, out var secondWorst);
            if (Converged(values[best], values[worst], tolerance))
            {
                break;
            }

            centroid.AsSpan().Clear();
            for (var v = 0; v <= d; v++)
            {
                if (v == worst)
                {
                    continue;
                }
                for (var i = 0; i < d; i++)
                {
                    centroid[i] += vertices[v * d + i] / d;
                }
            }
            var worstVertex = vertices.AsSpan(worst * d, d);

            Along(centroid, worstVertex, -Reflection, trial);
            var reflected = Value(objective, trial);
            evaluations++;
            if (reflected < values[best])
            {
                Along(centroid, worstVertex, -Expansion, trial2);
                var expanded = Value(objective, trial2);
                evaluations++;
                Replace(worstVertex, ref values[worst], expanded < reflected ? trial2 : trial, Math.Min(expanded, reflected));
                continue;
            }
            if (reflected < values[secondWorst])
            {
                Replace(worstVertex, ref values[worst], trial, reflected);
                continue;
            }
            // Contract towards the better of the worst point and its reflection.
            var outside = reflected < values[worst];
            Along(centroid, outside ? trial.AsSpan() : worstVertex, Contraction, trial2);
            var contracted = Value(objective, trial2);
            evaluations++;
            if (contracted < Math.Min(reflected, values[worst]))
            {
                Replace(worstVertex, ref values[worst], trial2, contracted);
                continue;
            }
            var bestVertex = vertices.AsSpan(best * d, d);
            for (var v = 0; v <= d; v++)
            {
                if (v == best)
                {
                    continue;
                }
                var vertex = vertices.AsSpan(v * d, d);
                for (var i = 0; i < d; i++)
                {
                    vertex[i] = bestVertex[i] + Shrink * (vertex[i] - bestVertex[i]);
                }
                values[v] = Value(objective, vertex);
                evaluations++;
            }
        }

        Order(values, out var bestIndex, out _, out _);
        vertices.AsSpan(bestIndex * d, d).CopyTo(point);
        return values[bestIndex];
    }

    /// <summary>The objective's value with NaN read as +∞, so that a failed evaluation is just a bad point.</summary>
    private static double Value<TObjective>(TObjective objective, ReadOnlySpan<double> parameters)
        where TObjective : IObjective
    {
        var value = objective.Evaluate(parameters);
        return double.IsNaN(value) ? double.PositiveInfinity : value;
    }

    /// <summary>result = centroid + coefficient · (vertex − centroid); −1 reflects, −2 expands, ½ contracts.</summary>
    private static void Along(ReadOnlySpan<double> centroid, ReadOnlySpan<double> vertex, double coefficient, Span<double> result)
    {
        for (var i = 0; i < centroid.Length; i++)
        {
            result[i] = centroid[i] + coefficient * (vertex[i] - centroid[i]);
        }
    }

    private static void Replace(Span<double> vertex, ref double value, ReadOnlySpan<double> with, double withValue)
    {
        with.CopyTo(vertex);
        value = withValue;
    }

    private static bool Converged(double best, double worst, double tolerance) =>
        double.IsFinite(worst) && worst - best <= tolerance * (Math.Abs(best) + tolerance);

    private static void Order(double[] values, out int best, out int worst, out int secondWorst)
    {
        best = 0;
        worst = 0;
        for (var v = 1; v < values.Length; v++)
        {
            if (values[v] < values[best])
            {
                best = v;
            }
            if (values[v] > values[worst])
            {
                worst = v;
            }
        }
        if (best == worst)
        {
            worst = values.Length - 1 == best ? 0 : values.Length - 1;
        }
        secondWorst = best;
        for (var v = 0; v < values.Length; v++)
        {
            if (v != worst && values[v] >= values[secondWorst])
            {
                secondWorst = v;
            }
        }
    }
}
