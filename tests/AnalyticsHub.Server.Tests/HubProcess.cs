using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AnalyticsHub.Server.Tests;

/// <summary>
/// The hub started as its own process (as an operator runs it) on free loopback ports with a
/// temporary data directory; output is captured for failure messages.
/// </summary>
internal sealed class HubProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private HubProcess(Process process, int grpcPort, int httpPort, string dataDir)
    {
        _process = process;
        GrpcPort = grpcPort;
        HttpPort = httpPort;
        DataDir = dataDir;
    }

    public int GrpcPort { get; }

    public int HttpPort { get; }

    public string DataDir { get; }

    public int Id => _process.Id;

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

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static HubProcess Start(params string[] extraArgs)
    {
        var grpcPort = FreePort();
        var httpPort = FreePort();
        var dataDir = Directory.CreateTempSubdirectory("hub-test-").FullName;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] args =
        [
            ServerDll, "--Hub:BindAddress=127.0.0.1", $"--Hub:Ports:Grpc={grpcPort}", $"--Hub:Ports:Http={httpPort}",
            $"--Hub:DataDir={dataDir}", .. extraArgs,
        ];
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the hub.");
        var hub = new HubProcess(process, grpcPort, httpPort, dataDir);
        process.OutputDataReceived += (_, e) => hub.Append(e.Data);
        process.ErrorDataReceived += (_, e) => hub.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return hub;
    }

    /// <summary>Waits until both ports accept connections (or the process dies).</summary>
    public async Task WaitUntilListeningAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        foreach (var port in new[] { GrpcPort, HttpPort })
        {
            while (true)
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"The hub exited with code {_process.ExitCode}:\n{Output}");
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"The hub did not listen on port {port} within {timeout}:\n{Output}");
                }

                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, port);
                    break;
                }
                catch (SocketException)
                {
                    await Task.Delay(100);
                }
            }
        }
    }

    /// <summary>Sends SIGTERM, as systemd does on stop.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The server built in the same configuration as these tests.</summary>
    private static string ServerDll { get; } = RepoPaths.BuiltAssembly("src/AnalyticsHub.Server", "AnalyticsHub.Server");
}
