using System.Diagnostics;
using System.Reflection;
using AnalyticsHub.Protocol.Grpc;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Validators;

namespace AnalyticsHub.Benchmarks;

/// <summary>
/// The one config every benchmark here runs with (after grpc-dotnet's <c>DefaultCoreConfig</c>):
/// allocations per operation, operations per second, payload bytes per second, and a hard stop
/// on non-optimised (Debug) assemblies.
/// </summary>
public static class BenchConfig
{
    /// <summary>Command-line switch for the short job: fewer, shorter iterations for a noisy 2-core box.</summary>
    public const string QuickSwitch = "--quick";

    public static IConfig Create(bool quick)
    {
        var job = quick
            // ShortRun (1 launch, 3 warm-up, 3 measured iterations) with two more measured
            // iterations, so the reported median is not one of three noisy samples.
            ? Job.ShortRun.WithIterationCount(5).WithId("Quick")
            : Job.Default.WithId("Default");

        return ManualConfig.CreateEmpty()
            .AddJob(job.WithGcServer(false).WithGcConcurrent(false))
            .AddLogger(ConsoleLogger.Default)
            .AddExporter(MarkdownExporter.GitHub)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddColumn(StatisticColumn.Median)
            .AddColumn(StatisticColumn.OperationsPerSecond)
            .AddColumn(PayloadThroughputColumn.Instance)
            .AddValidator(JitOptimizationsValidator.FailOnError)
            .AddValidator(ExecutionValidator.FailOnError)
            .WithOrderer(new DefaultOrderer(SummaryOrderPolicy.Declared))
            .WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(24))
            .WithOptions(ConfigOptions.JoinSummary);
    }

    /// <summary>
    /// Whether this assembly and the assembly under test were compiled with optimisations.
    /// BenchmarkDotNet's validator checks the same in the child process; this fails before any build.
    /// </summary>
    public static bool IsOptimizedBuild(out string reason)
    {
        foreach (var assembly in new[] { typeof(BenchConfig).Assembly, typeof(GrpcMessageReader).Assembly })
        {
            var debuggable = assembly.GetCustomAttribute<DebuggableAttribute>();
            if (debuggable is not null && debuggable.IsJITOptimizerDisabled)
            {
                reason = $"{assembly.GetName().Name} was built without optimisations (Debug configuration)";
                return false;
            }
        }

        reason = string.Empty;
        return true;
    }
}
