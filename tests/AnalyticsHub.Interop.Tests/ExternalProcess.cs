using System.Diagnostics;
using System.Text;

namespace AnalyticsHub.Interop.Tests;

/// <summary>Runs an external client to completion with a time limit and captures its output.</summary>
internal static class ExternalProcess
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            output.Append($"[timed out after {timeout.TotalSeconds:F0} s]\n");
        }

        output.Append(await stdout).Append(await stderr);
        return (process.HasExited ? process.ExitCode : -1, output.ToString());
    }
}
