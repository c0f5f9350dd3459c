using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace AnalyticsHub.Client.Tests.Infrastructure;

/// <summary>
/// Runs the gRPC C-core reference interop server (tests/Interop/python/reference_server.py,
/// python3-grpcio) on a free loopback port for the tests of a class, and kills it afterwards.
/// </summary>
public partial class ReferenceServerFixture : IAsyncLifetime
{
    private const string Python = "/usr/bin/python3"; // Debian's python: the one that has grpcio
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly StringBuilder _output = new();
    private Process? _process;

    public int Port { get; private set; }

    public string Address => $"{(UseTls ? "https" : "http")}://127.0.0.1:{Port}";

    protected virtual bool UseTls => false;

    /// <summary>Extra command-line arguments for the server.</summary>
    protected virtual IEnumerable<string> ExtraArguments => [];

    public virtual async Task InitializeAsync()
    {
        var script = Path.Combine(RepoPaths.Root, "tests", "Interop", "python", "reference_server.py");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"The reference server is missing: {script}");
        }

        var start = new ProcessStartInfo(Python)
        {
            ArgumentList = { "-u", script, "--port", "0" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (var argument in ExtraArguments)
        {
            start.ArgumentList.Add(argument);
        }

        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            Append(e.Data);
            var match = ListeningLine().Match(e.Data);
            if (match.Success)
            {
                listening.TrySetResult(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Append(e.Data);
            }
        };
        _process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"The reference server exited early:\n{Output}"));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        // --port 0 lets the server bind a free port itself (no pick-then-bind race); it prints it.
        Port = await listening.Task.WaitAsync(StartTimeout);
        await PortProbe.WaitUntilAcceptingAsync(Port, StartTimeout, () => Output);
    }

    public virtual Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        return Task.CompletedTask;
    }

    private string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private void Append(string line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    [GeneratedRegex(@"listening on \S+:(\d+)")]
    private static partial Regex ListeningLine();
}
