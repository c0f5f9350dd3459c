using System.Diagnostics;
using System.Globalization;
using AnalyticsHub.LoadRunner.Load;
using AnalyticsHub.LoadRunner.Output;
using AnalyticsHub.LoadRunner.Reporting;
using AnalyticsHub.LoadRunner.ServerMetrics;

namespace AnalyticsHub.LoadRunner.Campaign;

/// <summary>
/// Runs a campaign's stages in order against one hub: for each, the hub's metrics are scraped,
/// the stage's run (and a mixed stage's query run, at the same time) goes through warmup,
/// measured seconds and drain, the metrics are scraped again, and the stage's reports are built.
/// A failed stage does not stop the campaign (the report shows every stage); Ctrl-C does.
/// </summary>
internal sealed class CampaignRunner(CampaignDefinition campaign, ICampaignProgress progress, string commandLine)
{
    public async Task<CampaignReport> RunAsync(CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var start = Stopwatch.GetTimestamp();
        using var scraper = campaign.MetricsUrl is { } url ? new MetricsScraper(url) : null;
        var stages = new List<StageReport>();
        for (var i = 0; i < campaign.Stages.Count && !cancellationToken.IsCancellationRequested; i++)
        {
            var stage = campaign.Stages[i];
            if (i > 0 && stage.Settle > TimeSpan.Zero)
            {
                progress.Message(string.Create(CultureInfo.InvariantCulture, $"settling {stage.Settle.TotalSeconds:0.#} s before stage {stage.Name}"));
                try
                {
                    await Task.Delay(stage.Settle, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            progress.StageStarting(i);
            var report = await RunStageAsync(i, stage, scraper, cancellationToken).ConfigureAwait(false);
            stages.Add(report);
            progress.StageEnded(i, report);
        }

        var interrupted = stages.Count < campaign.Stages.Count || stages.Exists(s => s.Load.Interrupted);
        var exitCode = CampaignVerdict.Worst(stages.Select(s => s.ExitCode));
        return new CampaignReport
        {
            Name = campaign.Name,
            Description = campaign.Description,
            File = campaign.File,
            CommandLine = commandLine,
            StartedAt = startedAt,
            ElapsedSeconds = Math.Round(Stopwatch.GetElapsedTime(start).TotalSeconds, 3),
            Interrupted = interrupted,
            Machine = MachineInfo.Current(),
            Stages = stages,
            Passed = exitCode == ExitCodes.Passed && !interrupted,
            ExitCode = exitCode,
        };
    }

    private async Task<StageReport> RunStageAsync(int index, CampaignStage stage, MetricsScraper? scraper, CancellationToken cancellationToken)
    {
        var before = scraper is null ? default : await scraper.TryScrapeAsync(cancellationToken).ConfigureAwait(false);
        var loadTask = new LoadRun(stage.Load, progress.LoadView).RunAsync(cancellationToken);
        var queryTask = stage.Query is { } query ? new LoadRun(query, progress.QueryView).RunAsync(cancellationToken) : null;
        var load = await loadTask.ConfigureAwait(false);
        var queried = queryTask is null ? null : await queryTask.ConfigureAwait(false);
        var server = scraper is null ? null : await scraper.ReportSinceAsync(before, "stage").ConfigureAwait(false);

        var machine = MachineInfo.Current();
        var loadReport = ReportBuilder.Build(load, $"{commandLine} (stage {stage.Name})", machine) with { Server = server };
        var queryReport = queried is null ? null : ReportBuilder.Build(queried, $"{commandLine} (stage {stage.Name}, query run)", machine);
        var exitCode = CampaignVerdict.Worst([loadReport.ExitCode, queryReport?.ExitCode ?? ExitCodes.Passed]);
        return new StageReport
        {
            Index = index + 1,
            Name = stage.Name,
            Description = stage.Description,
            Shape = stage.Shape,
            Load = loadReport,
            Query = queryReport,
            Passed = exitCode == ExitCodes.Passed,
            ExitCode = exitCode,
            ReportDirectory = StageDirectory(index, stage.Name),
        };
    }

    /// <summary>"01-ramp": sortable, and safe as a directory name whatever the stage is called.</summary>
    public static string StageDirectory(int index, string name)
    {
        var safe = new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-')]).Trim('.');
        return string.Create(CultureInfo.InvariantCulture, $"{index + 1:00}-{(safe.Length == 0 ? "stage" : safe)}");
    }
}
