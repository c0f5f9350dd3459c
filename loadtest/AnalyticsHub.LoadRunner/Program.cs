using AnalyticsHub.LoadRunner.Campaign;
using AnalyticsHub.LoadRunner.Load;
using AnalyticsHub.LoadRunner.Output;
using AnalyticsHub.LoadRunner.Reporting;
using AnalyticsHub.LoadRunner.Scenario;
using AnalyticsHub.LoadRunner.ServerMetrics;
using Spectre.Console;

namespace AnalyticsHub.LoadRunner;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (Array.Exists(args, a => a == "--campaign" || a.StartsWith("--campaign=", StringComparison.Ordinal)))
        {
            return await RunCampaignAsync(args).ConfigureAwait(false);
        }

        if (!ScenarioParser.TryParse(args, out var scenario, out var help, out var error))
        {
            await Console.Error.WriteLineAsync($"error: {error}").ConfigureAwait(false);
            await Console.Error.WriteLineAsync("Run with --help for the options.").ConfigureAwait(false);
            return ExitCodes.InvalidOptions;
        }

        if (help)
        {
            Console.WriteLine(ScenarioParser.Usage);
            return ExitCodes.Passed;
        }

        using var cancel = CancelOnCtrlC();
        using var scraper = scenario.MetricsUrl is { } metricsUrl ? new MetricsScraper(metricsUrl) : null;
        var before = scraper is null ? default : await scraper.TryScrapeAsync(cancel.Token).ConfigureAwait(false);
        var live = !scenario.Plain && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Ansi;
        RunResult result;
        if (live)
        {
            var view = new LiveProgressView(AnsiConsole.Console, scenario.Mode == LoadMode.Query);
            result = await view.RunAsync(() => new LoadRun(scenario, view).RunAsync(cancel.Token)).ConfigureAwait(false);
        }
        else
        {
            result = await new LoadRun(scenario, new PlainProgressView(Console.Out, scenario.Mode == LoadMode.Query)).RunAsync(cancel.Token).ConfigureAwait(false);
        }

        var report = ReportBuilder.Build(result, CommandLine(args), MachineInfo.Current());
        if (scraper is not null)
        {
            report = report with { Server = await scraper.ReportSinceAsync(before, "run").ConfigureAwait(false) };
        }

        PrintSummary(report);
        if (scenario.ReportDirectory is { } directory)
        {
            var (json, markdown) = ReportWriter.Write(report, directory);
            Console.WriteLine($"report: {markdown}, {json}");
        }

        return report.ExitCode;
    }

    private static async Task<int> RunCampaignAsync(string[] args)
    {
        if (!CampaignParser.TryParse(args, out var campaign, out var help, out var error))
        {
            await Console.Error.WriteLineAsync($"error: {error}").ConfigureAwait(false);
            await Console.Error.WriteLineAsync("Run with --campaign FILE --help for the options.").ConfigureAwait(false);
            return ExitCodes.InvalidOptions;
        }

        if (help)
        {
            Console.WriteLine(CampaignParser.Usage);
            return ExitCodes.Passed;
        }

        using var cancel = CancelOnCtrlC();
        var commandLine = CommandLine(args);
        CampaignReport report;
        if (!campaign!.Plain && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Ansi)
        {
            var view = new CampaignProgressView(AnsiConsole.Console, campaign);
            report = await view.RunAsync(() => new CampaignRunner(campaign, view, commandLine).RunAsync(cancel.Token)).ConfigureAwait(false);
        }
        else
        {
            report = await new CampaignRunner(campaign, new PlainCampaignProgress(Console.Out, campaign), commandLine).RunAsync(cancel.Token).ConfigureAwait(false);
        }

        foreach (var stage in report.Stages)
        {
            Console.WriteLine($"stage {stage.Index} {stage.Name}: {(stage.Passed ? "passed" : "FAILED")} — {StageSummary.Text(stage)}");
        }

        Console.WriteLine($"campaign {report.Name}: {(report.Passed ? "PASSED" : "FAILED")}{(report.Interrupted ? " (interrupted)" : "")}, exit code {report.ExitCode}");
        if (campaign.ReportDirectory is { } directory)
        {
            var (markdown, json, html) = CampaignReportWriter.Write(report, directory);
            Console.WriteLine($"report: {markdown}, {json}, {html}");
        }

        return report.Interrupted && report.ExitCode == ExitCodes.Passed ? ExitCodes.ThresholdUnmet : report.ExitCode;
    }

    /// <summary>First Ctrl-C ends the run early (with a report); a second one kills the process.</summary>
    private static CancellationTokenSource CancelOnCtrlC()
    {
        var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            if (!cancel.IsCancellationRequested)
            {
                e.Cancel = true;
                cancel.Cancel();
            }
        };
        return cancel;
    }

    private static void PrintSummary(RunReport r)
    {
        foreach (var line in SummaryText.Lines(r))
        {
            Console.WriteLine(line);
        }
    }

    /// <summary>The command line as typed (arguments with spaces quoted).</summary>
    private static string CommandLine(string[] args) =>
        string.Join(' ', new[] { "AnalyticsHub.LoadRunner" }.Concat(args.Select(a => a.Contains(' ', StringComparison.Ordinal) || a.Length == 0 ? $"'{a}'" : a)));
}
