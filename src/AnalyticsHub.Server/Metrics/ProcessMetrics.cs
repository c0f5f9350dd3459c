using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace AnalyticsHub.Server.Metrics;

/// <summary>
/// The standard <c>process_*</c> metrics every Prometheus client exposes (meter
/// <c>AnalyticsHub.Process</c>; instrument names chosen so they export under exactly those names):
/// CPU seconds, resident and virtual memory, open and maximum file descriptors, start time.
/// Read on scrape from <see cref="Environment"/> and, on Linux, <c>/proc/self</c>.
/// </summary>
public sealed class ProcessMetrics : IDisposable
{
    public const string MeterName = "AnalyticsHub.Process";

    private readonly Meter _meter = new(MeterName);

    public ProcessMetrics()
    {
        double startTime;
        using (var process = Process.GetCurrentProcess())
        {
            startTime = new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0;
        }

        _meter.CreateObservableCounter("process_cpu", () => Environment.CpuUsage.TotalTime.TotalSeconds, "s", "Total user and system CPU time spent.");
        _meter.CreateObservableGauge("process_resident_memory", () => Environment.WorkingSet, "By", "Resident memory size.");
        _meter.CreateObservableGauge("process_start_time", () => startTime, "s", "Start time of the process since the Unix epoch.");
        if (OperatingSystem.IsLinux() && Directory.Exists("/proc/self/fd"))
        {
            _meter.CreateObservableGauge("process_virtual_memory", VirtualMemoryBytes, "By", "Virtual memory size.");
            _meter.CreateObservableGauge("process_open_fds", OpenFileDescriptors, "{fd}", "Open file descriptors.");
            _meter.CreateObservableGauge("process_max_fds", MaxFileDescriptors, "{fd}", "Maximum number of open file descriptors (soft limit).");
        }
    }

    public void Dispose() => _meter.Dispose();

    private static long OpenFileDescriptors()
    {
        long count = 0;
        foreach (var _ in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            count++;
        }

        return count - 1; // the descriptor enumerating the directory
    }

    /// <summary><c>/proc/self/statm</c>: the first field is the virtual size in pages.</summary>
    private static long VirtualMemoryBytes()
    {
        var statm = File.ReadAllText("/proc/self/statm");
        var pages = statm.AsSpan(0, statm.IndexOf(' '));
        return long.Parse(pages, CultureInfo.InvariantCulture) * Environment.SystemPageSize;
    }

    /// <summary><c>/proc/self/limits</c>: <c>Max open files  soft  hard  files</c>.</summary>
    private static long MaxFileDescriptors()
    {
        foreach (var line in File.ReadLines("/proc/self/limits"))
        {
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                var fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.TryParse(fields[0], CultureInfo.InvariantCulture, out var soft) ? soft : -1;
            }
        }

        return -1;
    }
}
