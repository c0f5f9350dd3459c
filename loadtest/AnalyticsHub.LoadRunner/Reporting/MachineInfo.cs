using System.Runtime.InteropServices;

namespace AnalyticsHub.LoadRunner.Reporting;

/// <summary>The machine a run is on: cores, CPU model (/proc/cpuinfo), OS, runtime.</summary>
public static class MachineInfo
{
    public static MachineReport Current() => new()
    {
        Cores = Environment.ProcessorCount,
        CpuModel = CpuModel(),
        Os = RuntimeInformation.OSDescription,
        Runtime = $"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.ProcessArchitecture})",
        Host = Environment.MachineName,
        LoadAverage = LoadAverage(),
    };

    /// <summary>The first three fields of /proc/loadavg ("2.05 1.80 1.52"), or "" where there is none.</summary>
    public static string LoadAverage(string path = "/proc/loadavg")
    {
        try
        {
            var fields = File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Length >= 3 ? string.Join(' ', fields[..3]) : "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>The first <c>model name</c> of /proc/cpuinfo (on ARM, <c>Hardware</c> or <c>CPU part</c>), or "unknown".</summary>
    public static string CpuModel(string path = "/proc/cpuinfo")
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0)
                {
                    continue;
                }

                var key = line[..colon].Trim();
                if (key is "model name" or "Hardware" or "Model")
                {
                    return line[(colon + 1)..].Trim();
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or no /proc.
        }

        return "unknown";
    }
}
