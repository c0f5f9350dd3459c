using System.Globalization;
using AnalyticsHub.LoadRunner.Campaign;
using AnalyticsHub.LoadRunner.Metrics;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace AnalyticsHub.LoadRunner.Output;

/// <summary>
/// On a terminal: a Spectre.Console live display of a campaign — a table of its stages (waiting,
/// running, passed, failed, with their rate and p99) and the running stage's progress lines
/// (ingestion, and the query run of a mixed stage), rewritten every second.
/// </summary>
internal sealed class CampaignProgressView(IAnsiConsole console, CampaignDefinition campaign) : ICampaignProgress
{
    private readonly Lock _gate = new();
    private readonly string[] _status = [.. campaign.Stages.Select(_ => "[grey]waiting[/]")];
    private readonly string[] _result = [.. campaign.Stages.Select(_ => "")];
    private readonly Line _load = new();
    private readonly Line _query = new();
    private LiveDisplayContext? _context;
    private string _message = "";

    public Task<T> RunAsync<T>(Func<Task<T>> body) => LiveDisplay.RunAsync(console, Render(), Attach, body);

    private void Attach(LiveDisplayContext context)
    {
        lock (_gate)
        {
            _context = context;
        }
    }

    public void StageStarting(int index)
    {
        lock (_gate)
        {
            _status[index] = "[yellow]running[/]";
            _load.Reset(this, queries: campaign.Stages[index].Load.Mode == Scenario.LoadMode.Query);
            _query.Reset(this, queries: true);
            Refresh();
        }
    }

    public IProgressView LoadView => _load;

    public IProgressView QueryView => _query;

    public void StageEnded(int index, StageReport stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        lock (_gate)
        {
            _status[index] = stage.Passed ? "[green]passed[/]" : "[red]FAILED[/]";
            _result[index] = Markup.Escape(StageSummary.Text(stage));
            Refresh();
        }
    }

    public void Message(string text)
    {
        lock (_gate)
        {
            _message = text;
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

    private IRenderable Render()
    {
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape($"campaign {campaign.Name}"));
        table.AddColumn("#");
        table.AddColumn("stage");
        table.AddColumn("shape");
        table.AddColumn("status");
        table.AddColumn("result");
        for (var i = 0; i < campaign.Stages.Count; i++)
        {
            var s = campaign.Stages[i];
            table.AddRow((i + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(s.Name), Markup.Escape(s.Shape), _status[i], _result[i]);
        }

        return new Rows(
            table,
            new Markup($"[grey]{Markup.Escape(_message)}[/]"),
            new Markup(_load.Markup),
            new Markup(_query.Markup));
    }

    /// <summary>One progress line of the running stage.</summary>
    private sealed class Line : IProgressView
    {
        private CampaignProgressView? _owner;
        private bool _queries;

        public string Markup { get; private set; } = "";

        public void Reset(CampaignProgressView owner, bool queries)
        {
            _owner = owner;
            _queries = queries;
            Markup = "";
        }

        public void Message(string text)
        {
            if (_owner is { } owner)
            {
                owner.Message(text);
            }
        }

        public void Interval(IntervalSample sample, int totalIntervals)
        {
            if (_owner is not { } owner)
            {
                return;
            }

            lock (owner._gate)
            {
                var color = sample.Errors > 0 ? "yellow" : sample.Phase == RunPhase.Steady ? "green" : "grey";
                var text = _queries ? ProgressFormat.QueryLine(sample, totalIntervals) : ProgressFormat.Line(sample, totalIntervals);
                Markup = $"[{color}]{Spectre.Console.Markup.Escape(text)}[/]";
                owner.Refresh();
            }
        }
    }
}
