using System.Diagnostics;
using System.Text;

namespace AnalyticsHub.Server.Tests.Campaigns;

/// <summary>The load runner (loadtest/AnalyticsHub.LoadRunner) run as its own process from the repository root.</summary>
internal static class LoadRunnerProcess
{
    private static string RunnerDll { get; } = RepoPaths.BuiltAssembly("loadtest/AnalyticsHub.LoadRunner", "AnalyticsHub.LoadRunner");

    /// <summary>Runs the runner with <paramref name="args"/>; returns its exit code and its output (stdout and stderr).</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        start.ArgumentList.Add(RunnerDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var output = new StringBuilder();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the load runner.");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The load runner did not finish within {timeout}:\n{Text()}");
        }

        process.WaitForExit(); // drains the redirected output
        return (process.ExitCode, Text());

        void Append(string? line)
        {
            if (line is not null)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        }

        string Text()
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }
}
