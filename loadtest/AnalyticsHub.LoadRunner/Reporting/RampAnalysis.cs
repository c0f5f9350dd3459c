using AnalyticsHub.LoadRunner.Metrics;

namespace AnalyticsHub.LoadRunner.Reporting;

/// <summary>
/// Finds how far a ramp got: the highest offered rate the achieved rate kept up with. A second
/// is compared with the lower of its own and the previous second's offered rate: pacers move to a
/// new rate at their next batch and acks trail sends by the ack latency, so an upward ramp's
/// achieved rate is one step behind even when the hub keeps up.
/// </summary>
public static class RampAnalysis
{
    /// <summary>Achieved ÷ offered at or above which a second counts as kept up with.</summary>
    public const double KeepUpRatio = 0.95;

    public static RampReport Analyze(double from, double to, IReadOnlyList<IntervalSample> intervals)
    {
        ArgumentNullException.ThrowIfNull(intervals);
        var steady = intervals.Where(i => i.Phase == RunPhase.Steady && i.OfferedPerSecond > 0).ToList();
        var ratios = steady.Select((i, k) => i.EventsPerSecond / (k == 0 ? i.OfferedPerSecond : Math.Min(i.OfferedPerSecond, steady[k - 1].OfferedPerSecond))).ToArray();
        var sustained = 0.0;
        var p99 = 0.0;
        var fellBehind = 0;
        for (var k = 0; k < steady.Count; k++)
        {
            if (RunningMedian(ratios, k) < KeepUpRatio)
            {
                fellBehind = k + 1;
                break;
            }

            if (steady[k].OfferedPerSecond >= sustained)
            {
                sustained = steady[k].OfferedPerSecond;
                p99 = steady[k].LatencyP99Nanos / 1e6;
            }
        }

        return new RampReport
        {
            FromPerSecond = from,
            ToPerSecond = to,
            SustainedPerSecond = Math.Round(sustained),
            FellBehindAtSecond = fellBehind,
            KeepUpRatio = KeepUpRatio,
            P99MsAtSustained = Math.Round(p99, 3),
        };
    }

    /// <summary>
    /// The median of three ratios around second k: k−1, k, k+1, shifted inside the run at its
    /// first and last second (so one slow second is outvoted there too); all of them when fewer than three.
    /// </summary>
    private static double RunningMedian(double[] ratios, int k)
    {
        var length = Math.Min(3, ratios.Length);
        var start = Math.Clamp(k - 1, 0, ratios.Length - length);
        var window = ratios.AsSpan(start, length).ToArray();
        Array.Sort(window);
        return window.Length % 2 == 1 ? window[window.Length / 2] : (window[(window.Length / 2) - 1] + window[window.Length / 2]) / 2;
    }
}
