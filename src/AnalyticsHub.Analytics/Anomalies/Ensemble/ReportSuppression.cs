namespace AnalyticsHub.Analytics.Anomalies.Ensemble;

/// <summary>
/// Hold-down after a report: once the output reaches the report level, the next <c>holdFor</c> points are capped just
/// below it. An incident is one alarm, not a burst — the members need some points to learn a new level, and every
/// further alarm on the same incident is noise to whoever is paged.
/// </summary>
internal sealed class ReportSuppression(int holdFor, double reportLevel)
{
    private int _remaining;

    public double Apply(double score)
    {
        if (_remaining > 0)
        {
            _remaining--;
            return Math.Min(score, reportLevel * 0.999);
        }

        if (score >= reportLevel)
        {
            _remaining = holdFor;
        }

        return score;
    }
}
