using AnalyticsHub.Benchmarks;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/AnalyticsHub.Benchmarks -- --filter '*' [--quick]
// Every other argument is BenchmarkDotNet's own (--list flat, --filter, --exporters, ...).
// One subcommand of ours: `-- sketch-accuracy` prints the quantile sketch's error against exact
// quantiles (SketchAccuracyReport) and runs no benchmark.
if (args is [SketchAccuracyReport.Command])
{
    SketchAccuracyReport.Run(Console.Out);
    return 0;
}

var quick = args.Contains(BenchConfig.QuickSwitch, StringComparer.OrdinalIgnoreCase);
var rest = args.Where(a => !a.Equals(BenchConfig.QuickSwitch, StringComparison.OrdinalIgnoreCase)).ToArray();

if (!BenchConfig.IsOptimizedBuild(out var reason))
{
    await Console.Error.WriteLineAsync($"Refusing to run: {reason}. Build and run with -c Release.").ConfigureAwait(false);
    return 2;
}

var summaries = BenchmarkSwitcher.FromAssembly(typeof(BenchConfig).Assembly).Run(rest, BenchConfig.Create(quick));
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
