using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace AnalyticsHub.Benchmarks;

/// <summary>
/// Payload bytes per second: the benchmark's <c>MessageSize</c> parameter (payload bytes per
/// operation, before compression and without the 5-byte prefix) divided by the mean time per
/// operation. Empty for benchmarks without that parameter.
/// </summary>
public sealed class PayloadThroughputColumn : IColumn
{
    public const string ParameterName = "MessageSize";

    public static readonly PayloadThroughputColumn Instance = new();

    public string Id => nameof(PayloadThroughputColumn);

    public string ColumnName => "Payload MiB/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Statistics;

    public int PriorityInCategory => 100;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => $"Payload bytes per operation ({ParameterName}, uncompressed, without the 5-byte prefix) / mean time, in MiB/s";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var bytesPerOp = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == ParameterName)?.Value;
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (bytesPerOp is not int bytes || mean is not double nanoseconds || nanoseconds <= 0)
        {
            return "-";
        }

        var bytesPerSecond = bytes / (nanoseconds * 1e-9);
        return (bytesPerSecond / (1024 * 1024)).ToString("N1", style.CultureInfo);
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public override string ToString() => ColumnName;
}
