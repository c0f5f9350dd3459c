namespace AnalyticsHub.Analytics.Forecasting.Prophet;

/// <summary>The regression columns of the Prophet-style model for step index i (0 = first point of the history;
/// indices past the history are the horizon), in this order:
/// <code>
/// [ 1 | t | (t − s_1)+ … (t − s_S)+ | sin, cos of each Fourier term | one 0/1 column per event ]
///   intercept, slope   slope changes      seasonality                       events
/// </code>
/// with t = i / (n − 1), so the history spans t ∈ [0, 1]. The trend m + k·t + Σ δ_j (t − s_j)+ is piecewise linear
/// and continuous; past the history it continues with the last slope k + Σ δ_j.</summary>
internal sealed class ProphetDesign
{
    public const int ChangepointStart = 2;

    private readonly double[] changepoints;
    private readonly FourierTerm[] terms;
    private readonly EventWindow[] events;
    private readonly double timeScale;

    /// <param name="historyLength">n, at least 2.</param>
    /// <param name="changepointCount">Candidate changepoints, placed at the indices round(j·(⌊r·n⌋ − 1) / S),
    /// j = 1..S, as Prophet places them; fewer (distinct indices only) when the history is short.</param>
    public ProphetDesign(int historyLength, int changepointCount, double changepointRange,
        FourierTerm[] terms, IReadOnlyList<EventWindow> events)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(historyLength, 2);
        HistoryLength = historyLength;
        timeScale = 1.0 / (historyLength - 1);
        changepoints = PlaceChangepoints(historyLength, changepointCount, changepointRange, timeScale);
        this.terms = terms;
        this.events = [.. events];
        FourierStart = ChangepointStart + changepoints.Length;
        EventStart = FourierStart + terms.Sum(term => term.ColumnCount);
        ColumnCount = EventStart + this.events.Length;
    }

    public int HistoryLength { get; }

    public int ColumnCount { get; }

    public int ChangepointCount => changepoints.Length;

    public int FourierStart { get; }

    public int EventStart { get; }

    /// <summary>The changepoints s_j on the scaled time axis.</summary>
    public ReadOnlySpan<double> Changepoints => changepoints;

    public ReadOnlySpan<FourierTerm> Terms => terms;

    public double Time(int index) => index * timeScale;

    /// <summary>Writes the <see cref="ColumnCount"/> regressors of step <paramref name="index"/> into <paramref name="row"/>.</summary>
    public void FillRow(int index, Span<double> row)
    {
        var t = Time(index);
        row[0] = 1;
        row[1] = t;
        var column = ChangepointStart;
        foreach (var s in changepoints)
        {
            row[column++] = Math.Max(0, t - s);
        }
        foreach (var term in terms)
        {
            // The angle is reduced to one period first so that far indices lose no precision.
            var (sin, cos) = Math.SinCos(2 * Math.PI * ((long)index * term.Harmonic % term.Period) / term.Period);
            if (term.HasSine)
            {
                row[column++] = sin;
            }
            row[column++] = cos;
        }
        foreach (var window in events)
        {
            row[column++] = window.Contains(index) ? 1 : 0;
        }
    }

    private static double[] PlaceChangepoints(int n, int count, double range, double timeScale)
    {
        var span = (int)Math.Floor(range * n) - 1;
        if (count <= 0 || span < 1)
        {
            return [];
        }
        var indices = new SortedSet<int>();
        for (var j = 1; j <= count; j++)
        {
            indices.Add((int)Math.Round((double)j * span / count, MidpointRounding.ToEven));
        }
        return [.. indices.Select(index => index * timeScale)];
    }
}
