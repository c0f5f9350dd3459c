using AnalyticsHub.LoadRunner.Load;
using AnalyticsHub.LoadRunner.Output;
using AnalyticsHub.LoadRunner.Reporting;
using AnalyticsHub.LoadRunner.Scenario;
using Spectre.Console;

namespace AnalyticsHub.LoadRunner;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
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

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // First Ctrl-C ends the run early (with a report); a second one kills the process.
            if (!cancel.IsCancellationRequested)
            {
                e.Cancel = true;
                cancel.Cancel();
            }
        };

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
        PrintSummary(report);
        if (scenario.ReportDirectory is { } directory)
        {
            var (json, markdown) = ReportWriter.Write(report, directory);
            Console.WriteLine($"report: {markdown}, {json}");
        }

        return report.ExitCode;
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
