namespace AnalyticsHub.Analytics.Anomalies.Feedback;

/// <summary>
/// A series' alert threshold, moved by operator feedback. The ensemble's score is already calibrated to each
/// series' own history (how surprising a point is there), so the one knob feedback turns is where that series
/// starts to alert — an effect an operator can predict: "the alarm at 0.62 was noise" makes the series alert from
/// just above 0.62; "the point scored 0.41 was an incident" makes it alert from just below 0.41. Labels apply in
/// order, so the latest word wins; the threshold stays inside [<see cref="Min"/>, <see cref="Max"/>]: lower would
/// alarm on ordinary noise, higher would never alarm.
/// </summary>
public static class SeriesAlertThreshold
{
    /// <summary>The threshold of a series nobody has labelled: the ensemble's report level (severity Low).</summary>
    public const double Default = 0.5;

    public const double Min = 0.2;

    public const double Max = 0.98;

    /// <summary>How far past a labelled score the threshold moves, so that point itself changes side.</summary>
    public const double Margin = 0.01;

    /// <summary>The threshold after <paramref name="label"/>, from <paramref name="current"/>.</summary>
    public static double Apply(double current, FeedbackLabel label)
    {
        if (!double.IsFinite(label.Score))
        {
            return current;
        }

        var moved = label.Kind == FeedbackKind.FalsePositive
            ? Math.Max(current, label.Score + Margin)
            : Math.Min(current, label.Score - Margin);
        return Math.Round(Math.Clamp(moved, Min, Max), 6);
    }

    /// <summary>The threshold after every label in order, from <see cref="Default"/>.</summary>
    public static double Replay(IEnumerable<FeedbackLabel> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var threshold = Default;
        foreach (var label in labels)
        {
            threshold = Apply(threshold, label);
        }

        return threshold;
    }

    /// <summary>Whether a point with <paramref name="score"/> alerts under <paramref name="threshold"/> (NaN never does).</summary>
    public static bool Alerts(double score, double threshold) => score >= threshold;
}
