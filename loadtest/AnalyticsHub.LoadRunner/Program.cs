using System.Globalization;
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
            var view = new LiveProgressView(AnsiConsole.Console);
            result = await view.RunAsync(() => new LoadRun(scenario, view).RunAsync(cancel.Token)).ConfigureAwait(false);
        }
        else
        {
            result = await new LoadRun(scenario, new PlainProgressView(Console.Out)).RunAsync(cancel.Token).ConfigureAwait(false);
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
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"rate (acked events/s, {r.Rate.SteadySeconds} steady s): median {r.Rate.MedianEventsPerSecond:N0}, mean {r.Rate.MeanEventsPerSecond:N0}, min {r.Rate.MinEventsPerSecond:N0}, max {r.Rate.MaxEventsPerSecond:N0}"));
        Console.WriteLine(string.Create(c, $"ack latency ms ({r.Latency.Batches:N0} batches): p50 {r.Latency.P50Ms:0.00}, p95 {r.Latency.P95Ms:0.00}, p99 {r.Latency.P99Ms:0.00}, p99.9 {r.Latency.P999Ms:0.00}, max {r.Latency.MaxMs:0.00}"));
        Console.WriteLine(string.Create(c, $"totals: {r.Totals.BatchesAcked:N0}/{r.Totals.BatchesSent:N0} batches acked, {r.Totals.Accepted:N0} accepted, {r.Totals.Rejected:N0} rejected, {r.Totals.Duplicates:N0} duplicates, {r.Totals.BatchesFailed:N0} batches failed"));
        Console.WriteLine(string.Create(c, $"client: {r.Client.CpuPercent:0.#}% of one core, {r.Client.AllocatedBytesPerBatch:N0} B allocated per batch"));
        foreach (var e in r.Errors)
        {
            Console.WriteLine(string.Create(c, $"error: {e.Kind} × {e.Count:N0}"));
        }

        foreach (var rj in r.Rejections)
        {
            Console.WriteLine(string.Create(c, $"rejected: {rj.Kind} × {rj.Count:N0}"));
        }

        foreach (var t in r.Thresholds)
        {
            Console.WriteLine(string.Create(c, $"threshold {t.Name}: limit {t.Limit:N2}, actual {t.Actual:N2} → {(t.Passed ? "pass" : "FAIL")}"));
        }

        Console.WriteLine(string.Create(c, $"exit code {r.ExitCode}"));
    }

    /// <summary>The command line as typed (arguments with spaces quoted).</summary>
    private static string CommandLine(string[] args) =>
        string.Join(' ', new[] { "AnalyticsHub.LoadRunner" }.Concat(args.Select(a => a.Contains(' ', StringComparison.Ordinal) || a.Length == 0 ? $"'{a}'" : a)));
}
