using AnalyticsHub.LoadRunner.Metrics;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace AnalyticsHub.LoadRunner.Output;

/// <summary>
/// On a terminal: a Spectre.Console live display — the run's description and one status line,
/// rewritten every second. Run the load inside <see cref="RunAsync{T}"/>. <paramref name="queries"/>: the query run's line.
/// </summary>
internal sealed class LiveProgressView(IAnsiConsole console, bool queries = false) : IProgressView
{
    private readonly Lock _gate = new();
    private LiveDisplayContext? _context;
    private string _header = "starting…";
    private string _status = "";
    private string _color = "grey";

    public Task<T> RunAsync<T>(Func<Task<T>> body) => LiveDisplay.RunAsync(console, Render(), Attach, body);

    private void Attach(LiveDisplayContext context)
    {
        lock (_gate)
        {
            _context = context;
        }
    }

    public void Message(string text)
    {
        lock (_gate)
        {
            _header = text;
            Refresh();
        }
    }

    public void Interval(IntervalSample sample, int totalIntervals)
    {
        lock (_gate)
        {
            _status = queries ? ProgressFormat.QueryLine(sample, totalIntervals) : ProgressFormat.Line(sample, totalIntervals);
            _color = sample.Errors > 0 ? "yellow" : sample.Phase == RunPhase.Steady ? "green" : "grey";
            Refresh();
        }
    }

    private void Refresh()
    {
        if (_context is { } context)
        {
            context.UpdateTarget(Render());
            context.Refresh();
        }
    }

    private IRenderable Render() => new Rows(
        new Markup($"[grey]{Markup.Escape(_header)}[/]"),
        new Markup($"[{_color}]{Markup.Escape(_status)}[/]"));
}
