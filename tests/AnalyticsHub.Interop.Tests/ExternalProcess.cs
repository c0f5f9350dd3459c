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

    /// <summary>The repository root (the folder holding AnalyticsHub.sln), found from the test binaries.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AnalyticsHub.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("AnalyticsHub.sln not found above " + AppContext.BaseDirectory);
    }
}
