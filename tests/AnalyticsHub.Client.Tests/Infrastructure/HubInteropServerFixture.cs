using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace AnalyticsHub.Client.Tests.Infrastructure;

/// <summary>
/// Runs tests/AnalyticsHub.Interop.Server as its own process (<c>--port 0</c>), as any interop
/// client would use it, and kills it afterwards.
/// </summary>
public sealed partial class HubInteropServerFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly StringBuilder _output = new();
    private Process? _process;

    public string Address { get; private set; } = "";

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        var dll = RepoPaths.BuiltAssembly("tests/AnalyticsHub.Interop.Server", "AnalyticsHub.Interop.Server");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--port", "0" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            Append(e.Data);
            if (ListeningLine().Match(e.Data) is { Success: true } match)
            {
                listening.TrySetResult(match.Groups[1].Value);
            }
        };
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"The interop server exited early:\n{Output}"));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Address = await listening.Task.WaitAsync(StartTimeout);
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    [GeneratedRegex(@"listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
