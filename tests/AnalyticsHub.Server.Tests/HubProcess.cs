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
    private readonly StringBuilder _output = new();
    private readonly string[] _args;
    private readonly bool _ownsDataDir;
    private Process _process;

    private HubProcess(string[] args, int grpcPort, int httpPort, int metricsPort, string dataDir, bool ownsDataDir)
    {
        _args = args;
        _ownsDataDir = ownsDataDir;
        GrpcPort = grpcPort;
        HttpPort = httpPort;
        MetricsPort = metricsPort;
        DataDir = dataDir;
        _process = Launch();
    }

    public int GrpcPort { get; }

    public int HttpPort { get; }

    /// <summary>Where the hub serves Prometheus' <c>GET /metrics</c>.</summary>
    public int MetricsPort { get; }

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

    public static HubProcess Start(params string[] extraArgs) =>
        StartIn(Directory.CreateTempSubdirectory("hub-test-").FullName, ownsDataDir: true, extraArgs);

    /// <summary>Starts the hub on <paramref name="dataDir"/>, which is kept on dispose unless <paramref name="ownsDataDir"/>.</summary>
    public static HubProcess StartIn(string dataDir, bool ownsDataDir, params string[] extraArgs)
    {
        var grpcPort = FreePort();
        var httpPort = FreePort();
        var metricsPort = FreePort();
        string[] args =
        [
            ServerDll, "--Hub:BindAddress=127.0.0.1", $"--Hub:Ports:Grpc={grpcPort}", $"--Hub:Ports:Http={httpPort}",
            $"--Hub:Ports:Metrics={metricsPort}", $"--Hub:DataDir={dataDir}", .. extraArgs,
        ];
        return new HubProcess(args, grpcPort, httpPort, metricsPort, dataDir, ownsDataDir);
    }

    /// <summary>Kills the process with SIGKILL (no shutdown code runs) and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>Starts the hub again, after it exited, with the same arguments: same ports and data directory.</summary>
    public void Restart()
    {
        if (!_process.HasExited)
        {
            throw new InvalidOperationException("The hub is still running; kill or terminate it first.");
        }

        _process.WaitForExit(); // drains the redirected output of the old process
        Append($"---- restart (previous process exited with code {_process.ExitCode}) ----");
        _process.Dispose();
        _process = Launch();
    }

    private Process Launch()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in _args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the hub.");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Waits until the gRPC, HTTP and metrics ports accept connections (or the process dies).</summary>
    public async Task WaitUntilListeningAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        foreach (var port in new[] { GrpcPort, HttpPort, MetricsPort })
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
        if (!_ownsDataDir)
        {
            return;
        }

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

    /// <summary>A loopback port free right now (the OS picks it).</summary>
    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The server built in the same configuration as these tests.</summary>
    private static string ServerDll { get; } = RepoPaths.BuiltAssembly("src/AnalyticsHub.Server", "AnalyticsHub.Server");
}
