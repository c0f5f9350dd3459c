using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace AnalyticsHub.Server.Tests.Metrics;

/// <summary>
/// A real Prometheus (Debian's binary) scraping one target every second, with its configuration and
/// TSDB in a temporary directory; disposing kills it and deletes the directory.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _directory;
    private readonly StringBuilder _output = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private PrometheusServer(DirectoryInfo directory, int port, int targetPort)
    {
        _directory = directory;
        Port = port;
        var config = Path.Combine(directory.FullName, "prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: hub
                static_configs:
                  - targets: ['127.0.0.1:{targetPort}']
            """);
        var start = new ProcessStartInfo(PrometheusTools.Prometheus)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory.FullName,
        };
        foreach (var arg in new[]
                 {
                     $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory.FullName, "data")}",
                     $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
                 })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start prometheus.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Port { get; }

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

    public static PrometheusServer Start(int targetPort)
    {
        var directory = Directory.CreateTempSubdirectory("hub-prometheus-");
        try
        {
            return new PrometheusServer(directory, HubProcess.FreePort(), targetPort);
        }
        catch
        {
            directory.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>The value of an instant query returning one sample; null while it returns none (not scraped yet) or Prometheus is not up.</summary>
    public async Task<double?> QueryScalarAsync(string promQl)
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"prometheus exited with code {_process.ExitCode}:\n{Output}");
        }

        try
        {
            using var response = await _http.GetAsync($"http://127.0.0.1:{Port}/api/v1/query?query={Uri.EscapeDataString(promQl)}");
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }

            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var result = json.RootElement.GetProperty("data").GetProperty("result");
            return result.GetArrayLength() == 1
                ? double.Parse(result[0].GetProperty("value")[1].GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
                : null;
        }
        catch (HttpRequestException)
        {
            return null; // still starting
        }
    }

    /// <summary>The scrape target's state as Prometheus reports it: health and last error.</summary>
    public async Task<(string Health, string LastError)> TargetAsync()
    {
        var text = await _http.GetStringAsync($"http://127.0.0.1:{Port}/api/v1/targets");
        using var json = JsonDocument.Parse(text);
        var target = json.RootElement.GetProperty("data").GetProperty("activeTargets")[0];
        return (target.GetProperty("health").GetString()!, target.GetProperty("lastError").GetString()!);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            _directory.Delete(recursive: true);
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
}
