namespace AnalyticsHub.Analytics.Anomalies.Ensemble;

/// <summary>
/// Hold-down after a report: once the output reaches the report level, the next <c>holdFor</c> points are capped just
/// below it. An incident is one alarm, not a burst — the members need some points to learn a new level, and every
/// further alarm on the same incident is noise to whoever is paged. A score at least <c>escalation</c> above the
/// report that started the hold-down breaks through it and starts a new one (0: nothing breaks through): a weak report
/// must not hide a strong one. Not in the first <c>escalationAfter</c> points, though: there the incident is still
/// building up (the members' evidence is a short average that needs those points to reach full strength), and a
/// second alarm would only repeat the first one louder.
/// </summary>
internal sealed class ReportSuppression(int holdFor, double reportLevel, double escalation = 0, int escalationAfter = 0)
{
    private int _remaining;
    private double _reported;

    public double Apply(double score)
    {
        bool escalates = escalation > 0 && score >= _reported + escalation && holdFor - _remaining >= escalationAfter;
        if (_remaining > 0 && !escalates)
        {
            _remaining--;
            return Math.Min(score, reportLevel * 0.999);
        }

        if (score >= reportLevel)
        {
            _remaining = holdFor;
            _reported = score;
        }

        return score;
    }
}
