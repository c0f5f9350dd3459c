using System.Globalization;

namespace AnalyticsHub.Analytics.Forecasting;

/// <summary>The engine's forecast: the combined point forecast and interval, and per candidate its validation
/// error, weight and own forecast.</summary>
public sealed class EngineForecast(double[] point, double[] lower, double[] upper, IReadOnlyList<CandidateResult> candidates,
    double intervalScale)
{
    public double[] Point => point;

    public double[] Lower => lower;

    public double[] Upper => upper;

    /// <summary>Every candidate, in catalog order.</summary>
    public IReadOnlyList<CandidateResult> Candidates => candidates;

    /// <summary>Factor applied to the combined interval's half-widths by calibration (1 when not calibrated).</summary>
    public double IntervalScale => intervalScale;

    /// <summary>The members with their weights, heaviest first, e.g. "0.55 MSTL[24,168]+ETS(A,Ad,N) + 0.45 ETS(M,N,M)".</summary>
    public string Description => string.Join(" + ", candidates
        .Where(c => c.Weight > 0)
        .OrderByDescending(c => c.Weight)
        .Select(c => c.Weight.ToString("0.00", CultureInfo.InvariantCulture) + " " + (c.Forecast?.Model ?? c.Name)));
}
