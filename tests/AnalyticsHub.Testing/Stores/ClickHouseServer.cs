using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security;
using System.Text;

namespace AnalyticsHub.Testing.Stores;

/// <summary>
/// A real ClickHouse server (Debian <c>clickhouse-server</c>, 18.16 here; newer single-binary installs
/// work too) for tests: a generated config in a fresh temporary directory, HTTP, native TCP and
/// interserver ports free on loopback, data and logs in that directory. Tests may stop and restart it
/// (outage tests); ports and data stay. <see cref="StartCluster"/> starts several servers whose
/// configs name each other in <c>remote_servers</c> (one shard each, no ZooKeeper).
/// <see cref="Dispose"/> kills it and deletes the directory.
/// </summary>
/// <remarks>
/// Users: <c>default</c> without a password, and <see cref="PasswordUser"/> with
/// <see cref="PasswordUserPassword"/>, both from loopback only. The binary is <c>HUB_CLICKHOUSE_SERVER</c>
/// when set, else <c>clickhouse-server</c> on PATH or in /usr/sbin or /usr/bin, else <c>clickhouse server</c>.
/// The server runs as the calling user (root in sessions and CI) from its generated config; the Debian
/// service's <c>clickhouse</c> user and /etc files are not used.
/// </remarks>
public sealed class ClickHouseServer : IDisposable
{
    /// <summary>A second user that needs a password (auth tests).</summary>
    public const string PasswordUser = "hub";

    public const string PasswordUserPassword = "hub-secret";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);
    private static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(1) })
    {
        Timeout = TimeSpan.FromSeconds(120),
    };

    private readonly (string FileName, string[] Prefix) _binary;
    private readonly Lock _gate = new();
    private Process? _process;
    private Process? _watchdog;
    private bool _disposed;

    private ClickHouseServer((string, string[]) binary, string rootDirectory, Ports ports)
    {
        _binary = binary;
        RootDirectory = rootDirectory;
        HttpPort = ports.Http;
        TcpPort = ports.Tcp;
        InterserverPort = ports.Interserver;
    }

    /// <summary>The temporary directory holding the config, data (<c>data/</c>) and logs (<c>log/</c>).</summary>
    public string RootDirectory { get; }

    public string ConfigFile => Path.Combine(RootDirectory, "config.xml");

    public string LogFile => Path.Combine(RootDirectory, "log", "server.log");

    public string ErrorLogFile => Path.Combine(RootDirectory, "log", "server.err.log");

    public int HttpPort { get; }

    /// <summary>The native protocol port (what <c>remote_servers</c> and <c>clickhouse-client</c> use).</summary>
    public int TcpPort { get; }

    public int InterserverPort { get; }

    /// <summary>The HTTP interface, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string HttpUrl => $"http://127.0.0.1:{HttpPort.ToString(CultureInfo.InvariantCulture)}";

    public bool IsRunning { get; private set; }

    /// <summary>The process id while running.</summary>
    public int? ProcessId => _process?.Id;

    /// <summary>What the server answers to <c>SELECT version()</c>.</summary>
    public string Version => Query("SELECT version()").Trim();

    /// <summary>Writes a config in a new temporary directory and starts the server; returns once <c>/ping</c> answers.</summary>
    /// <param name="timezone">The server's time zone (default: the machine's), e.g. a non-UTC one to prove code does not depend on it.</param>
    public static ClickHouseServer Start(string? timezone = null) => StartCluster("", 1, timezone)[0];

    /// <summary>
    /// Starts <paramref name="shards"/> servers whose configs define cluster <paramref name="cluster"/>
    /// (one shard per server, in order) in <c>remote_servers</c>. An empty name starts unrelated servers.
    /// </summary>
    public static IReadOnlyList<ClickHouseServer> StartCluster(string cluster, int shards, string? timezone = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        var binary = FindBinary();
        for (int attempt = 1; ; attempt++)
        {
            var servers = new List<ClickHouseServer>();
            try
            {
                var taken = new HashSet<int>();
                var ports = Enumerable.Range(0, shards).Select(_ => new Ports(FreePort(taken), FreePort(taken), FreePort(taken))).ToArray();
                foreach (var p in ports)
                {
                    var server = new ClickHouseServer(binary, CreateRootDirectory(), p);
                    servers.Add(server);
                    server.WriteConfig(cluster, ports, timezone);
                }

                foreach (var server in servers)
                {
                    server.Start();
                    AppDomain.CurrentDomain.ProcessExit += server.OnProcessExit;
                }

                return servers;
            }
            catch (InvalidOperationException e) when (attempt < 3 && e.Message.Contains("Address already in use", StringComparison.Ordinal))
            {
                // Another process took a port between our probe and the server's bind: new ports.
                servers.ForEach(s => s.Dispose());
            }
            catch
            {
                servers.ForEach(s => s.Dispose());
                throw;
            }
        }
    }

    /// <summary>Starts the stopped server (same ports, same data); returns once <c>/ping</c> answers.</summary>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (IsRunning)
            {
                return;
            }

            var start = new ProcessStartInfo("/bin/sh")
            {
                UseShellExecute = false,
                WorkingDirectory = RootDirectory,
            };
            // exec: the shell becomes the server, so the process id is the server's.
            string arguments = string.Join(' ', _binary.Prefix.Append("--config-file=" + ConfigFile).Select(Quote));
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add($"exec {Quote(_binary.FileName)} {arguments} >>{Quote(Path.Combine(RootDirectory, "stdout.log"))} 2>&1");
            _process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + _binary.FileName);
            _watchdog = StartWatchdog(_process.Id);
            WaitUntilAnswering(_process);
            IsRunning = true;
        }
    }

    /// <summary>Stops the server: SIGTERM and a wait (a clean shutdown), or with <paramref name="immediate"/> SIGKILL (a crash).</summary>
    public void Stop(bool immediate = false)
    {
        lock (_gate)
        {
            var process = _process;
            if (process is null)
            {
                return;
            }

            StopWatchdog();

            if (!process.HasExited)
            {
                if (!immediate)
                {
                    Signal(process.Id, "TERM");
                }

                if (immediate || !process.WaitForExit(StopTimeout))
                {
                    process.Kill(entireProcessTree: true);
                }

                process.WaitForExit();
            }

            process.Dispose();
            _process = null;
            IsRunning = false;
        }
    }

    public void Restart(bool immediate = false)
    {
        lock (_gate)
        {
            Stop(immediate);
            Start();
        }
    }

    /// <summary>
    /// Runs SQL over the HTTP interface with a plain HTTP client (independent of the code under test) and
    /// returns the answer (TabSeparated unless the SQL names a format). Throws with the server's message on an error.
    /// </summary>
    public string Query(string sql, string? database = null)
    {
        string uri = HttpUrl + "/?wait_end_of_query=1" + (database is null ? "" : "&database=" + Uri.EscapeDataString(database));
        using var content = new StringContent(sql, Encoding.UTF8);
        using var response = Http.PostAsync(uri, content).GetAwaiter().GetResult();
        string body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        return response.IsSuccessStatusCode
            ? body
            : throw new InvalidOperationException($"ClickHouse {HttpUrl} answered {(int)response.StatusCode} to [{sql}]: {body.Trim()}");
    }

    /// <summary>The end of the server's logs, for failure messages.</summary>
    public string LogTail(int lines = 30)
    {
        var text = new StringBuilder();
        foreach (var file in (string[])[Path.Combine(RootDirectory, "stdout.log"), ErrorLogFile])
        {
            try
            {
                var all = File.ReadAllLines(file);
                text.Append("== ").Append(Path.GetFileName(file)).Append('\n')
                    .AppendJoin('\n', all.Skip(Math.Max(0, all.Length - lines))).Append('\n');
            }
            catch (IOException)
            {
                // not written (yet)
            }
        }

        return text.ToString();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
            Stop(immediate: true);
            try
            {
                Directory.Delete(RootDirectory, recursive: true);
            }
            catch (IOException)
            {
                // best effort
            }
            catch (UnauthorizedAccessException)
            {
                // best effort
            }
        }
    }

    private void OnProcessExit(object? sender, EventArgs e) => Dispose();

    // A test host killed outright (a hang timeout, SIGKILL) runs no ProcessExit handler: this shell
    // kills the server once the host is gone. It checks the command line first, so a reused pid is safe.
    private Process? StartWatchdog(int serverPid)
    {
        string host = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        string server = serverPid.ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(
            $"while kill -0 {host} 2>/dev/null; do sleep 1; done; " +
            $"grep -qF {Quote(ConfigFile)} /proc/{server}/cmdline 2>/dev/null && kill -9 {server}");
        return Process.Start(start);
    }

    private void StopWatchdog()
    {
        var watchdog = _watchdog;
        _watchdog = null;
        if (watchdog is null)
        {
            return;
        }

        try
        {
            watchdog.Kill();
            watchdog.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // already exited
        }

        watchdog.Dispose();
    }

    private void WaitUntilAnswering(Process process)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"clickhouse-server exited with {process.ExitCode} while starting:\n{LogTail()}");
            }

            try
            {
                using var ping = Http.GetAsync(HttpUrl + "/ping").GetAwaiter().GetResult();
                if (ping.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            Thread.Sleep(50);
        }

        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException($"clickhouse-server did not answer /ping within {StartTimeout.TotalSeconds:F0} s:\n{LogTail()}");
    }

    private void WriteConfig(string cluster, IReadOnlyList<Ports> clusterPorts, string? timezone)
    {
        string Dir(string name)
        {
            string path = Path.Combine(RootDirectory, name) + "/";
            Directory.CreateDirectory(path);
            return Escape(path);
        }

        var config = new StringBuilder();
        config.Append($"""
            <?xml version="1.0"?>
            <!-- Generated by AnalyticsHub.Testing.Stores.ClickHouseServer -->
            <yandex>
              <logger>
                <level>information</level>
                <log>{Escape(LogFile)}</log>
                <errorlog>{Escape(ErrorLogFile)}</errorlog>
                <size>100M</size>
                <count>2</count>
              </logger>
              <listen_host>127.0.0.1</listen_host>
              <http_port>{HttpPort}</http_port>
              <tcp_port>{TcpPort}</tcp_port>
              <interserver_http_port>{InterserverPort}</interserver_http_port>
              <interserver_http_host>127.0.0.1</interserver_http_host>
              <path>{Dir("data")}</path>
              <tmp_path>{Dir("tmp")}</tmp_path>
              <user_files_path>{Dir("user_files")}</user_files_path>
              <format_schema_path>{Dir("format_schemas")}</format_schema_path>
              <users_config>users.xml</users_config>
              <default_profile>default</default_profile>
              <default_database>default</default_database>
              <max_concurrent_queries>100</max_concurrent_queries>
              <mark_cache_size>268435456</mark_cache_size>
              <uncompressed_cache_size>268435456</uncompressed_cache_size>
              <mlock_executable>false</mlock_executable>

            """);
        if (timezone is not null)
        {
            config.Append($"  <timezone>{Escape(timezone)}</timezone>\n");
        }

        if (cluster.Length > 0)
        {
            config.Append($"  <remote_servers>\n    <{cluster}>\n");
            foreach (var shard in clusterPorts)
            {
                config.Append($"      <shard><replica><host>127.0.0.1</host><port>{shard.Tcp}</port></replica></shard>\n");
            }

            config.Append($"    </{cluster}>\n  </remote_servers>\n");
        }

        config.Append("</yandex>\n");
        File.WriteAllText(ConfigFile, config.ToString());
        File.WriteAllText(Path.Combine(RootDirectory, "users.xml"), $"""
            <?xml version="1.0"?>
            <yandex>
              <profiles><default><log_queries>0</log_queries></default></profiles>
              <quotas><default></default></quotas>
              <users>
                <default>
                  <password></password>
                  <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
                  <profile>default</profile>
                  <quota>default</quota>
                </default>
                <{PasswordUser}>
                  <password>{Escape(PasswordUserPassword)}</password>
                  <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
                  <profile>default</profile>
                  <quota>default</quota>
                </{PasswordUser}>
              </users>
            </yandex>

            """);
    }

    private static (string FileName, string[] Prefix) FindBinary()
    {
        string? configured = Environment.GetEnvironmentVariable("HUB_CLICKHOUSE_SERVER");
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured)
                ? (configured, Path.GetFileName(configured) == "clickhouse" ? ["server"] : [])
                : throw new InvalidOperationException($"HUB_CLICKHOUSE_SERVER={configured} does not exist");
        }

        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        foreach (var dir in path.Concat(["/usr/sbin", "/usr/bin", "/usr/local/bin"]))
        {
            string candidate = Path.Combine(dir, "clickhouse-server");
            if (File.Exists(candidate))
            {
                return (candidate, []);
            }
        }

        foreach (var dir in path.Concat(["/usr/bin", "/usr/local/bin"]))
        {
            string candidate = Path.Combine(dir, "clickhouse");
            if (File.Exists(candidate))
            {
                return (candidate, ["server"]);
            }
        }

        throw new InvalidOperationException(
            "clickhouse-server not found on PATH, in /usr/sbin or /usr/bin: install Debian clickhouse-server (test.sh does), or set HUB_CLICKHOUSE_SERVER.");
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false });
        kill?.WaitForExit();
    }

    private static string CreateRootDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), "hub-ch-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    private static int FreePort(HashSet<int> taken)
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (taken.Add(port))
            {
                return port;
            }
        }
    }

    private static string Escape(string text) => SecurityElement.Escape(text);

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private readonly record struct Ports(int Http, int Tcp, int Interserver);
}
