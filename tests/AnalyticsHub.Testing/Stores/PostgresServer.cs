using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AnalyticsHub.Testing.Stores;

/// <summary>
/// A real PostgreSQL server (Debian <c>postgresql-15</c>) for tests: <c>initdb</c> into a fresh
/// temporary directory, listening on a free loopback port with its unix socket in that directory,
/// trust authentication for user <c>postgres</c>. Tests may stop and restart it (outage tests);
/// the port, data and connection string stay the same. <see cref="Dispose"/> stops it and deletes
/// the directory.
/// </summary>
/// <remarks>
/// <c>initdb</c> and <c>pg_ctl</c> refuse to run as root, so as root they run as the
/// <c>postgres</c> user (<c>runuser -u postgres --</c>) in a directory that user owns. Binaries are
/// taken from <c>HUB_PG_BIN</c> when set, else the newest <c>/usr/lib/postgresql/*/bin</c>.
/// <c>fsync</c> and <c>full_page_writes</c> are off by default: tests check behaviour, and survive a
/// crash of PostgreSQL (<see cref="Stop"/> with <c>immediate</c>) but not of the machine; pass
/// <c>durable: true</c> for measurements.
/// </remarks>
public sealed class PostgresServer : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);

    private readonly string _binDirectory;
    private readonly bool _asPostgresUser;
    private readonly Lock _gate = new();
    private bool _disposed;

    private PostgresServer(string binDirectory, string rootDirectory, int port, bool asPostgresUser)
    {
        _binDirectory = binDirectory;
        RootDirectory = rootDirectory;
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    /// <summary>The temporary directory holding the cluster (<c>data/</c>), its socket and its log.</summary>
    public string RootDirectory { get; }

    public string DataDirectory => Path.Combine(RootDirectory, "data");

    public string LogFile => Path.Combine(RootDirectory, "postgres.log");

    /// <summary>The directory of the server's unix socket (<c>Host=</c> this for a socket connection).</summary>
    public string SocketDirectory => RootDirectory;

    public string Host => "127.0.0.1";

    public int Port { get; }

    /// <summary>Superuser <c>postgres</c>, trust authentication.</summary>
    public string User => "postgres";

    public bool IsRunning { get; private set; }

    /// <summary>Server version as <c>postgres --version</c> prints it.</summary>
    public string Version => RunTool("postgres", ["--version"], asPostgres: false).Trim();

    /// <summary>A connection string to database <c>postgres</c> over TCP loopback.</summary>
    public string ConnectionString => ConnectionStringFor("postgres");

    /// <summary>A connection string (Npgsql keywords) to <paramref name="database"/> over TCP loopback.</summary>
    public string ConnectionStringFor(string database) =>
        $"Host={Host};Port={Port};Username={User};Database={database}";

    /// <summary>Creates a cluster in a new temporary directory and starts it.</summary>
    /// <param name="durable">Keep <c>fsync</c> and <c>full_page_writes</c> on (throughput measurements).</param>
    /// <param name="settings">Extra <c>postgresql.conf</c> settings (name → value as written in the file).</param>
    public static PostgresServer StartNew(bool durable = false, IReadOnlyDictionary<string, string>? settings = null)
    {
        string bin = FindBinDirectory();
        bool asPostgres = Environment.IsPrivilegedProcess;
        string root = CreateRootDirectory(asPostgres);
        var server = new PostgresServer(bin, root, FreeLoopbackPort(), asPostgres);
        try
        {
            server.InitDb(durable, settings);
            server.StartServer();
            AppDomain.CurrentDomain.ProcessExit += server.OnProcessExit;
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Starts the stopped server (same port, same data); returns when it accepts connections.</summary>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!IsRunning)
            {
                StartServer();
            }
        }
    }

    /// <summary>Stops the server; <paramref name="immediate"/> aborts like a crash (no checkpoint, clients cut off).</summary>
    public void Stop(bool immediate = false)
    {
        lock (_gate)
        {
            if (IsRunning)
            {
                RunTool("pg_ctl", ["-D", DataDirectory, "-m", immediate ? "immediate" : "fast", "-w", "-t", "60", "stop"], asPostgres: true);
                IsRunning = false;
            }
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
    /// Runs SQL with <c>psql</c> (independent of the code under test) and returns its output,
    /// unaligned and tuples only (<c>-At</c>): one line per row, columns separated by <c>|</c>.
    /// </summary>
    public string Psql(string sql, string database = "postgres")
    {
        return RunTool("psql", ["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", Host, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", User, "-d", database, "-c", sql], asPostgres: false);
    }

    /// <summary>Creates an empty database (a fresh one per test keeps tests independent) and returns its connection string.</summary>
    public string CreateDatabase(string name)
    {
        Psql($"CREATE DATABASE \"{name}\"");
        return ConnectionStringFor(name);
    }

    /// <summary>The end of the server log, for failure messages.</summary>
    public string LogTail(int lines = 30)
    {
        try
        {
            var all = File.ReadAllLines(LogFile);
            return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
        }
        catch (IOException e)
        {
            return "(no log: " + e.Message + ")";
        }
        catch (UnauthorizedAccessException e)
        {
            return "(no log: " + e.Message + ")";
        }
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
            try
            {
                Stop(immediate: true);
            }
            catch (InvalidOperationException)
            {
                // already gone; the directory is removed below either way
            }

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

    private void InitDb(bool durable, IReadOnlyDictionary<string, string>? settings)
    {
        RunTool("initdb", ["-D", DataDirectory, "-U", User, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"], asPostgres: true);

        var conf = new StringBuilder("\n# AnalyticsHub test server\n");
        void Set(string name, string value) => conf.Append(name).Append(" = ").Append(value).Append('\n');
        Set("listen_addresses", "'127.0.0.1'");
        Set("port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Set("unix_socket_directories", "'" + SocketDirectory + "'");
        Set("max_connections", "50");
        Set("timezone", "'UTC'");
        Set("logging_collector", "off");
        if (!durable)
        {
            Set("fsync", "off");
            Set("full_page_writes", "off");
            // synchronous_commit stays on: a commit is in the OS before it is acknowledged, so an
            // immediate stop (a crash of PostgreSQL, not of the machine) loses nothing.
        }

        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            Set(name, value);
        }

        // postgresql.conf belongs to the postgres user; root may append to it.
        File.AppendAllText(Path.Combine(DataDirectory, "postgresql.conf"), conf.ToString());
    }

    private void StartServer()
    {
        try
        {
            RunTool("pg_ctl", ["-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "start"], asPostgres: true);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException(e.Message + "\nserver log:\n" + LogTail(), e);
        }

        IsRunning = true;
    }

    private string RunTool(string tool, IReadOnlyList<string> arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RootDirectory,
        };
        string path = Path.Combine(_binDirectory, tool);
        if (asPostgres && _asPostgresUser)
        {
            start.FileName = "runuser";
            foreach (var a in (string[])["-u", "postgres", "--", path])
            {
                start.ArgumentList.Add(a);
            }
        }
        else
        {
            start.FileName = path;
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        return Run(start);
    }

    private static string Run(ProcessStartInfo start)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + start.FileName);
        // Read both pipes concurrently so a chatty tool cannot block on a full one.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(CommandTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Describe(start)} did not finish in {CommandTimeout.TotalSeconds:F0} s");
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Describe(start)} exited with {process.ExitCode}: {stderr.Result.Trim()} {stdout.Result.Trim()}".TrimEnd());
        }

        return stdout.Result;
    }

    private static string Describe(ProcessStartInfo start) => start.FileName + " " + string.Join(' ', start.ArgumentList);

    private static string CreateRootDirectory(bool asPostgres)
    {
        string template = Path.Combine(Path.GetTempPath(), "hub-pg-XXXXXXXX");
        if (!asPostgres)
        {
            string path = template.Replace("XXXXXXXX", Guid.NewGuid().ToString("N")[..8], StringComparison.Ordinal);
            Directory.CreateDirectory(path);
            return path;
        }

        // Created by the postgres user so that initdb (run as that user) may write into it.
        return Run(new ProcessStartInfo("runuser", ["-u", "postgres", "--", "mktemp", "-d", template])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }).Trim();
    }

    private static string FindBinDirectory()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("HUB_PG_BIN");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return File.Exists(Path.Combine(fromEnvironment, "initdb"))
                ? fromEnvironment
                : throw new InvalidOperationException($"HUB_PG_BIN={fromEnvironment} holds no initdb");
        }

        const string Root = "/usr/lib/postgresql";
        var found = Directory.Exists(Root)
            ? Directory.GetDirectories(Root)
                .Select(d => (Directory: Path.Combine(d, "bin"), Major: int.TryParse(Path.GetFileName(d), out int major) ? major : 0))
                .Where(c => File.Exists(Path.Combine(c.Directory, "initdb")))
                .OrderByDescending(c => c.Major)
                .Select(c => c.Directory)
                .FirstOrDefault()
            : null;
        return found ?? throw new InvalidOperationException(
            "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: install Debian postgresql-15 (test.sh does), or set HUB_PG_BIN.");
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
