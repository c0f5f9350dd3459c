using AnalyticsHub.LoadRunner.Metrics;

namespace AnalyticsHub.LoadRunner.Output;

/// <summary>Where the run shows its progress.</summary>
internal interface IProgressView
{
    void Message(string text);

    /// <summary>A closed interval (once per second).</summary>
    void Interval(IntervalSample sample, int totalIntervals);
}
