using System.Diagnostics;

namespace AnalyticsHub.Deploy.Tests;

/// <summary>The outcome of a script run: exit code and both streams.</summary>
public sealed record ScriptResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
}

/// <summary>Runs a repository script with bash, as CI and an operator would.</summary>
public static class Script
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs <paramref name="relativePath"/> (from the repository root) with the arguments.</summary>
    public static ScriptResult Run(string relativePath, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoPaths.Root,
        };
        start.ArgumentList.Add(Path.Combine(RepoPaths.Root, relativePath));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{relativePath} did not finish within {Timeout}");
        }

        return new ScriptResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>True when <paramref name="tool"/> is an executable on PATH.</summary>
    public static bool ToolExists(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, tool)));
}

/// <summary>
/// A fact that is skipped, with the reason, when a tool it needs is not installed
/// (xunit 2 has no dynamic skip; test.sh lists skipped tests).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(string tool, string package)
    {
        if (!Script.ToolExists(tool))
        {
            Skip = $"{tool} is not installed (Debian package {package}; test.sh installs it)";
        }
    }
}
