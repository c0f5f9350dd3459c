using AnalyticsHub.LoadRunner.Campaign;

namespace AnalyticsHub.LoadRunner.Output;

/// <summary>A campaign's progress as plain lines (redirected output, logs, CI), each prefixed with its stage.</summary>
internal sealed class PlainCampaignProgress(TextWriter output, CampaignDefinition campaign) : ICampaignProgress
{
    private readonly Prefixed _load = new(output);
    private readonly Prefixed _query = new(output);

    public IProgressView LoadView => _load;

    public IProgressView QueryView => _query;

    public void Message(string text) => output.WriteLine(text);

    public void StageStarting(int index)
    {
        var stage = campaign.Stages[index];
        output.WriteLine($"== stage {index + 1}/{campaign.Stages.Count} {stage.Name}: {stage.Shape}");
        _load.Start($"{stage.Name} ", stage.Load.Mode == Scenario.LoadMode.Query);
        _query.Start($"{stage.Name} query ", queries: true);
    }

    public void StageEnded(int index, StageReport stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        output.WriteLine($"== stage {index + 1}/{campaign.Stages.Count} {stage.Name}: {(stage.Passed ? "passed" : "FAILED")} — {StageSummary.Text(stage)}");
    }

    private sealed class Prefixed(TextWriter output) : IProgressView
    {
        private readonly Lock _gate = new();
        private string _prefix = "";
        private bool _queries;

        public void Start(string prefix, bool queries)
        {
            lock (_gate)
            {
                _prefix = prefix;
                _queries = queries;
            }
        }

        public void Message(string text)
        {
            lock (_gate)
            {
                output.WriteLine(_prefix + text);
            }
        }

        public void Interval(Metrics.IntervalSample sample, int totalIntervals)
        {
            lock (_gate)
            {
                output.WriteLine(_prefix + (_queries ? ProgressFormat.QueryLine(sample, totalIntervals) : ProgressFormat.Line(sample, totalIntervals)));
            }
        }
    }
}
