using AnalyticsHub.LoadRunner.Metrics;

namespace AnalyticsHub.LoadRunner.Output;

/// <summary>One line per second on stdout: for redirected output and logs (<paramref name="queries"/>: the query run's line).</summary>
internal sealed class PlainProgressView(TextWriter output, bool queries = false) : IProgressView
{
    public void Message(string text) => output.WriteLine(text);

    public void Interval(IntervalSample sample, int totalIntervals) => output.WriteLine(queries ? ProgressFormat.QueryLine(sample, totalIntervals) : ProgressFormat.Line(sample, totalIntervals));
}
