using AnalyticsHub.LoadRunner.Metrics;

namespace AnalyticsHub.LoadRunner.Output;

/// <summary>One line per second on stdout: for redirected output and logs.</summary>
internal sealed class PlainProgressView(TextWriter output) : IProgressView
{
    public void Message(string text) => output.WriteLine(text);

    public void Interval(IntervalSample sample, int totalIntervals) => output.WriteLine(ProgressFormat.Line(sample, totalIntervals));
}
