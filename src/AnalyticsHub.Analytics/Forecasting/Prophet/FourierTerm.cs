namespace AnalyticsHub.Analytics.Forecasting.Prophet;

/// <summary>One Fourier harmonic of a seasonal period: columns sin(2πki/P) and cos(2πki/P) over the step index i.
/// At k = P/2 the sine is 0 on every integer step, so that harmonic has only its cosine column.</summary>
internal readonly record struct FourierTerm(int Period, int Harmonic)
{
    public bool HasSine => 2 * Harmonic != Period;

    public int ColumnCount => HasSine ? 2 : 1;

    /// <summary>The harmonics 1..order of each period, shortest period first, leaving out a frequency an earlier period
    /// already has (the 7th weekly harmonic of hourly data is the daily fundamental): duplicate columns would make
    /// the normal equations singular.</summary>
    public static FourierTerm[] For(IReadOnlyList<int> periods, Func<int, int> order)
    {
        var terms = new List<FourierTerm>();
        foreach (var period in periods)
        {
            for (var k = 1; k <= order(period); k++)
            {
                var term = new FourierTerm(period, k);
                if (!terms.Exists(term.SameFrequency))
                {
                    terms.Add(term);
                }
            }
        }
        return [.. terms];
    }

    private bool SameFrequency(FourierTerm other) => (long)Harmonic * other.Period == (long)other.Harmonic * Period;
}
