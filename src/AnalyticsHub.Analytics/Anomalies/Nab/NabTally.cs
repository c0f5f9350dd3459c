namespace AnalyticsHub.Analytics.Anomalies.Nab;

/// <summary>
/// The detections of one detector at one threshold, before the profile's weights: the summed credit of the counted
/// (first) detection of each detected window, the summed (negative) factors of the false positives, and the counts.
/// Profile-independent, so one tally gives the raw score of every profile.
/// </summary>
public readonly record struct NabTally(double TruePositiveCredit, double FalsePositiveCredit, int DetectedWindows,
    int MissedWindows, int FalsePositives)
{
    /// <summary>NAB's raw score under <paramref name="profile"/>: tp·credit + fp·(negative factors) − fn·missed.</summary>
    public double Raw(NabProfile profile) =>
        (profile.TpWeight * TruePositiveCredit) + (profile.FpWeight * FalsePositiveCredit) - (profile.FnWeight * MissedWindows);

    /// <summary>The sum of two tallies (two files, or two parts of the corpus).</summary>
    public static NabTally operator +(NabTally a, NabTally b) => new(a.TruePositiveCredit + b.TruePositiveCredit,
        a.FalsePositiveCredit + b.FalsePositiveCredit, a.DetectedWindows + b.DetectedWindows, a.MissedWindows + b.MissedWindows,
        a.FalsePositives + b.FalsePositives);

    /// <summary>The sum of two tallies, for callers that cannot use operators.</summary>
    public static NabTally Add(NabTally a, NabTally b) => a + b;
}
