namespace AnalyticsHub.Analytics.Forecasting.Prophet;

/// <summary>Maps the series to the scale the model is fitted on: optionally the log (multiplicative mode), then
/// min–max scaled to [0, 1] (Prophet's "minmax" scaling), so the prior scales mean the same for every series.</summary>
internal readonly record struct ProphetScaling(bool Log, double Offset, double Range)
{
    /// <summary>The scaling of <paramref name="history"/>; null when it is constant (nothing to fit).</summary>
    public static ProphetScaling? For(ReadOnlySpan<double> history, bool log)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var value in history)
        {
            var z = log ? Math.Log(value) : value;
            min = Math.Min(min, z);
            max = Math.Max(max, z);
        }
        return max > min ? new ProphetScaling(log, min, max - min) : null;
    }

    public void Forward(ReadOnlySpan<double> y, Span<double> scaled)
    {
        for (var t = 0; t < y.Length; t++)
        {
            scaled[t] = ((Log ? Math.Log(y[t]) : y[t]) - Offset) / Range;
        }
    }

    public double Inverse(double scaled)
    {
        var z = scaled * Range + Offset;
        return Log ? Math.Exp(z) : z;
    }

    public void InverseInPlace(Span<double> scaled)
    {
        for (var t = 0; t < scaled.Length; t++)
        {
            scaled[t] = Inverse(scaled[t]);
        }
    }
}
