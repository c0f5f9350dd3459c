namespace AnalyticsHub.Analytics.Forecasting.Prophet;

/// <summary>Settings of <see cref="ProphetModel"/>. The prior scales are those of Prophet (Taylor &amp; Letham, 2018)
/// on its scaled data (values min–max scaled to [0, 1], the history's time to [0, 1]).</summary>
public sealed record ProphetOptions
{
    /// <summary>Candidate trend changepoints, placed uniformly over the first <see cref="ChangepointRange"/> of the
    /// history (fewer when the history is short).</summary>
    public int ChangepointCount { get; init; } = 25;

    /// <summary>Fraction of the history that may hold changepoints: the last part is left to the final slope, so a
    /// few end points cannot swing the extrapolated trend.</summary>
    public double ChangepointRange { get; init; } = 0.8;

    /// <summary>Scale τ of the Laplace prior on each slope change (an L1 penalty σ²/τ·|δ|): smaller is a stiffer trend.
    /// Prophet's default is 0.05; on the M4 hourly holdout 0.2–0.5 did better (hourly levels drift more), so 0.3.</summary>
    public double ChangepointPriorScale { get; init; } = 0.3;

    /// <summary>Standard deviation of the Gaussian prior (a ridge penalty) on each Fourier coefficient.</summary>
    public double SeasonalityPriorScale { get; init; } = 10;

    /// <summary>Standard deviation of the Gaussian prior on each event coefficient.</summary>
    public double EventPriorScale { get; init; } = 10;

    /// <summary>Fourier order for a seasonal period without an entry in <see cref="FourierOrders"/>: this many
    /// harmonics, or P / <see cref="LongPeriodPointsPerHarmonic"/> for a long period P (28 for the week of hourly
    /// data: a weekly profile needs detail a smooth curve of 10 harmonics lacks, as weekends and holidays differ);
    /// capped at P / 2.</summary>
    public int DefaultFourierOrder { get; init; } = 10;

    public int LongPeriodPointsPerHarmonic { get; init; } = 6;

    /// <summary>Fourier order per seasonal period, e.g. { [24] = 10, [168] = 5 }.</summary>
    public IReadOnlyDictionary<int, int> FourierOrders { get; init; } = new Dictionary<int, int>();

    /// <summary>Event windows with one coefficient each (indices relative to the history start).</summary>
    public IReadOnlyList<EventWindow> Events { get; init; } = [];

    public SeasonalityMode Mode { get; init; } = SeasonalityMode.Auto;

    /// <summary>In <see cref="SeasonalityMode.Auto"/>, the largest Guerrero λ that still counts as "spread grows with the
    /// level" (λ = 0 is the log, λ = 1 no transform).</summary>
    public double LogLambdaThreshold { get; init; } = 0.5;

    /// <summary>The Fourier order used for <paramref name="period"/>.</summary>
    public int FourierOrder(int period) =>
        Math.Min(FourierOrders.TryGetValue(period, out var order) ? order
            : Math.Max(DefaultFourierOrder, period / LongPeriodPointsPerHarmonic), period / 2);
}
