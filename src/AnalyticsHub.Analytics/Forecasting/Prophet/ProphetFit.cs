using MathNet.Numerics.Distributions;

namespace AnalyticsHub.Analytics.Forecasting.Prophet;

/// <summary>A fitted Prophet-style regression on the scaled data: its coefficients (in the column order of
/// <see cref="ProphetDesign"/>), the noise variance and the in-sample fit.</summary>
internal sealed class ProphetFit(ProphetDesign design, double[] coefficients, double noiseVariance, double[] fitted)
{
    public ProphetDesign Design => design;

    public ReadOnlySpan<double> Coefficients => coefficients;

    /// <summary>σ² = RSS / (n − p).</summary>
    public double NoiseVariance => noiseVariance;

    public ReadOnlySpan<double> Fitted => fitted;

    /// <summary>The slope changes δ_j.</summary>
    public ReadOnlySpan<double> SlopeChanges =>
        coefficients.AsSpan(ProphetDesign.ChangepointStart, design.ChangepointCount);

    /// <summary>Prophet's estimate of the Laplace scale of future slope changes: the mean |δ_j| of the fit.</summary>
    public double SlopeChangeScale
    {
        get
        {
            double sum = 0;
            foreach (var delta in SlopeChanges)
            {
                sum += Math.Abs(delta);
            }
            return SlopeChanges.Length > 0 ? sum / SlopeChanges.Length : 0;
        }
    }

    /// <summary>The next <paramref name="point"/>.Length steps on the scaled data with a central interval of
    /// <paramref name="level"/>: the regression continued (trend with its last slope), and a Gaussian half-width from
    /// σ² plus the trend's variance (<see cref="TrendUncertainty"/>).</summary>
    public void Forecast(double level, Span<double> point, Span<double> lower, Span<double> upper)
    {
        var z = Normal.InvCDF(0, 1, 0.5 + level / 2);
        var n = design.HistoryLength;
        var slopeChangeScale = SlopeChangeScale;
        var row = new double[design.ColumnCount];
        for (var h = 1; h <= point.Length; h++)
        {
            design.FillRow(n - 1 + h, row);
            double value = 0;
            for (var k = 0; k < row.Length; k++)
            {
                value += row[k] * coefficients[k];
            }
            var elapsed = design.Time(n - 1 + h) - 1;
            var variance = noiseVariance + TrendUncertainty.Variance(design.ChangepointCount, slopeChangeScale, elapsed);
            var halfWidth = z * Math.Sqrt(variance);
            point[h - 1] = value;
            lower[h - 1] = value - halfWidth;
            upper[h - 1] = value + halfWidth;
        }
    }
}
