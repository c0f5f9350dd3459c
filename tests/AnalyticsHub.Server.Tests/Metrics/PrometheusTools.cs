using System.Diagnostics;

namespace AnalyticsHub.Server.Tests.Metrics;

/// <summary>Debian's <c>prometheus</c> package (installed by test.sh): <c>/usr/bin/prometheus</c> and <c>/usr/bin/promtool</c>.</summary>
internal static class PrometheusTools
{
    public static string Promtool => Find("promtool");

    public static string Prometheus => Find("prometheus");

    /// <summary>Runs <paramref name="tool"/> with <paramref name="stdin"/>; returns its exit code and combined output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string tool, string stdin, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {tool}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} did not finish within {timeout}.");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static string Find(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/bin"))
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new InvalidOperationException($"{name} is not installed: apt-get install prometheus (test.sh does this).");
    }
}
