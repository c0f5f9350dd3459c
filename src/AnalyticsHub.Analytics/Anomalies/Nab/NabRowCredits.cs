namespace AnalyticsHub.Analytics.Anomalies.Nab;

/// <summary>
/// What a detection at each row of one series would be worth, before the profile's weights: inside a window the
/// scaled sigmoid of its position divided by its value at the window start (1 at the first row, near 0 at the last);
/// outside, a negative factor — the sigmoid of the distance past the nearest preceding window in that window's widths
/// (near 0 just after it, −1 far from it), or −1 before the first window. Depends on the labels only, so it is built
/// once per series and shared by every detector and threshold.
/// </summary>
public sealed class NabRowCredits
{
    private NabRowCredits(int[] windowOfRow, double[] credit, int probationLength, int windowCount)
    {
        WindowOfRow = windowOfRow;
        Credit = credit;
        ProbationLength = probationLength;
        WindowCount = windowCount;
    }

    /// <summary>The index of the window holding each row, or −1 outside every window.</summary>
    public int[] WindowOfRow { get; }

    /// <summary>Per row: the unweighted true-positive credit (&gt; 0) inside a window, the false-positive factor (≤ 0)
    /// outside.</summary>
    public double[] Credit { get; }

    /// <summary>Leading rows whose detections are ignored.</summary>
    public int ProbationLength { get; }

    /// <summary>Windows in the series.</summary>
    public int WindowCount { get; }

    /// <summary>Rows in the series.</summary>
    public int Length => Credit.Length;

    /// <summary>Builds the credits of a series' rows from its windows (which must be in time order, not overlapping).</summary>
    public static NabRowCredits For(NabSeries series) => For(series.Values.Length, series.Windows);

    /// <summary>Builds the credits of <paramref name="rows"/> rows labelled with <paramref name="windows"/>.</summary>
    public static NabRowCredits For(int rows, IReadOnlyList<NabWindow> windows)
    {
        var windowOfRow = new int[rows];
        var credit = new double[rows];
        var next = 0;
        NabWindow? previous = null;
        for (var row = 0; row < rows; row++)
        {
            if (next < windows.Count && row >= windows[next].FirstRow)
            {
                var window = windows[next];
                windowOfRow[row] = next;
                // NAB's position: −1 at the first row, −1/width at the last.
                credit[row] = ScaledSigmoid.Of(-(window.LastRow - row + 1) / (double)window.Width) / ScaledSigmoid.AtWindowStart;
                if (row == window.LastRow)
                {
                    previous = window;
                    next++;
                }
                continue;
            }
            windowOfRow[row] = -1;
            credit[row] = previous is { } before && before.Width > 1
                ? ScaledSigmoid.Of((row - before.LastRow) / (double)(before.Width - 1))
                : -1.0;
        }
        return new NabRowCredits(windowOfRow, credit, NabSeries.ProbationLengthFor(rows), windows.Count);
    }
}
