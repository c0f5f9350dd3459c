namespace AnalyticsHub.Analytics.Forecasting.Learned;

/// <summary>The features and target of the one-step model at time t, from the values before t only. Everything is
/// divided by the level at t (mean |y| over the longest season before t), so a model trained at one level forecasts
/// at another: trees cannot extrapolate, so they must never see raw levels. Features: the lags 1 … m and the
/// multiples of m up to the longest period (m the shortest period; 1 … 12 without seasonality), the means of the last
/// 3 and last m values, and the phase t mod P within every period P. Target: y_t / level. (The seasonal difference
/// (y_t − y_{t−m}) / level validated worse on M4 hourly: 12.0 % sMAPE against 10.6 %; see docs/FORECASTING.md.)</summary>
internal sealed class LagFeatures
{
    private const int ShortMean = 3;
    private const int NonSeasonalLags = 12;
    private const int MaxShortLags = 24;

    private readonly int[] lags;
    private readonly int[] phasePeriods;

    private readonly int shortPeriod;

    private LagFeatures(int[] lags, int[] phasePeriods, int shortPeriod, int levelWindow)
    {
        this.lags = lags;
        this.phasePeriods = phasePeriods;
        this.shortPeriod = shortPeriod;
        LevelWindow = levelWindow;
        Lookback = Math.Max(lags.Max(), levelWindow);
        Count = lags.Length + 2 + phasePeriods.Length;
    }

    /// <summary>Values the level averages over.</summary>
    public int LevelWindow { get; }

    /// <summary>Values before t that the features of t need: the first target time is t = Lookback.</summary>
    public int Lookback { get; }

    /// <summary>Features per row.</summary>
    public int Count { get; }

    /// <summary>Features for the seasonal periods (shortest first), dropping the longest ones until a history of
    /// <paramref name="length"/> leaves at least <paramref name="minRows"/> rows; null when even none does.</summary>
    public static LagFeatures? For(int length, IReadOnlyList<int> periods, int minRows)
    {
        for (var k = periods.Count; k >= 0; k--)
        {
            var features = Create(periods.Take(k).ToArray());
            if (length - features.Lookback >= minRows)
            {
                return features;
            }
        }
        return null;
    }

    private static LagFeatures Create(int[] periods)
    {
        if (periods.Length == 0)
        {
            return new LagFeatures([.. Enumerable.Range(1, NonSeasonalLags)], [], 1, NonSeasonalLags);
        }
        var m = periods[0];
        var longest = periods[^1];
        var lags = new SortedSet<int>(Enumerable.Range(1, Math.Min(m, MaxShortLags))) { m };
        for (var k = 2; k * m <= longest; k++)
        {
            lags.Add(k * m);
        }
        lags.UnionWith(periods);
        return new LagFeatures([.. lags], periods, m, longest);
    }

    /// <summary>Mean |y| over the <see cref="LevelWindow"/> values before t; 1 when they are all 0.</summary>
    public double Level(ReadOnlySpan<double> y, int t)
    {
        double sum = 0;
        for (var i = t - LevelWindow; i < t; i++)
        {
            sum += Math.Abs(y[i]);
        }
        var level = sum / LevelWindow;
        return level > 0 ? level : 1;
    }

    /// <summary>Writes the <see cref="Count"/> features of time <paramref name="t"/> into <paramref name="x"/>.</summary>
    public void Write(ReadOnlySpan<double> y, int t, double level, Span<double> x)
    {
        var i = 0;
        foreach (var lag in lags)
        {
            x[i++] = y[t - lag] / level;
        }
        x[i++] = Mean(y, t, ShortMean) / level;
        x[i++] = Mean(y, t, shortPeriod) / level;
        foreach (var period in phasePeriods)
        {
            x[i++] = t % period;
        }
    }

    public static double Target(ReadOnlySpan<double> y, int t, double level) => y[t] / level;

    /// <summary>The value at t that a predicted target implies.</summary>
    public static double Value(double level, double target) => level * target;

    private static double Mean(ReadOnlySpan<double> y, int t, int count)
    {
        double sum = 0;
        for (var i = t - count; i < t; i++)
        {
            sum += y[i];
        }
        return sum / count;
    }
}
