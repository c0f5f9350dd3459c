namespace AnalyticsHub.Deploy.Tests;

/// <summary>
/// deploy/install.sh into a temporary root with a stub build: what lands where, with which modes,
/// what a second install and an uninstall keep, and what --purge removes.
/// </summary>
public sealed class InstallScriptTests : IDisposable
{
    private const string InstallScript = "deploy/install.sh";
    private readonly string _tmp = Directory.CreateTempSubdirectory("hub-deploy-").FullName;
    private readonly string _build;
    private readonly string _root;

    public InstallScriptTests()
    {
        _root = Path.Combine(_tmp, "root");
        _build = Path.Combine(_tmp, "build");
        Directory.CreateDirectory(_build);
        // A stand-in for deploy/publish.sh's output: the two executables and the shipped defaults.
        WriteExecutable(Path.Combine(_build, "AnalyticsHub.Server"), "#!/bin/sh\necho server v1\n");
        WriteExecutable(Path.Combine(_build, "hubctl"), "#!/bin/sh\necho hubctl\n");
        File.WriteAllText(Path.Combine(_build, "appsettings.json"), """{"Hub":{"DataDir":"./data"}}""");
    }

    public void Dispose() => Directory.Delete(_tmp, recursive: true);

    private string InRoot(string path) => _root + path;

    private ScriptResult Install(params string[] extra) =>
        Script.Run(InstallScript, ["--root", _root, "--no-user", "--from", _build, .. extra]);

    private ScriptResult Uninstall(params string[] extra) =>
        Script.Run(InstallScript, ["--root", _root, "--no-user", "--uninstall", .. extra]);

    private static void WriteExecutable(string path, string text)
    {
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    private static UnixFileMode Mode(string path) => File.GetUnixFileMode(path);

    private static void AssertSucceeded(ScriptResult result) => Assert.True(result.ExitCode == 0, result.ToString());

    [Fact]
    public void Install_IntoTemporaryRoot_PlacesBinariesConfigUnitAndDirectories()
    {
        AssertSucceeded(Install());

        var bin = InRoot("/opt/analyticshub/bin");
        Assert.Equal("#!/bin/sh\necho server v1\n", File.ReadAllText(Path.Combine(bin, "AnalyticsHub.Server")));
        Assert.Equal((UnixFileMode)0b111_101_101, Mode(Path.Combine(bin, "AnalyticsHub.Server")));
        Assert.Equal((UnixFileMode)0b111_101_101, Mode(Path.Combine(bin, "hubctl")));
        Assert.Equal((UnixFileMode)0b110_100_100, Mode(Path.Combine(bin, "appsettings.json")));
        // The operator's file is named by --config (watched by the hub), not linked in beside the binary.
        Assert.False(File.Exists(Path.Combine(bin, "appsettings.Production.json")));

        // Configuration and data are private to the service's group / user: 0750 dirs, 0640 files.
        Assert.Equal((UnixFileMode)0b111_101_000, Mode(InRoot("/etc/analyticshub")));
        Assert.Equal((UnixFileMode)0b110_100_000, Mode(InRoot("/etc/analyticshub/appsettings.json")));
        Assert.Equal((UnixFileMode)0b110_100_000, Mode(InRoot("/etc/analyticshub/analyticshub.env")));
        Assert.Equal((UnixFileMode)0b111_101_000, Mode(InRoot("/var/lib/analyticshub")));
        Assert.Equal((UnixFileMode)0b111_101_000, Mode(InRoot("/var/log/analyticshub")));

        using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(InRoot("/etc/analyticshub/appsettings.json")));
        Assert.Equal(50051, config.RootElement.GetProperty("Hub").GetProperty("Ports").GetProperty("Grpc").GetInt32());

        var unit = InRoot("/etc/systemd/system/analyticshub.service");
        Assert.Equal((UnixFileMode)0b110_100_100, Mode(unit));
        var text = File.ReadAllText(unit);
        Assert.Contains("ExecStart=/opt/analyticshub/bin/AnalyticsHub.Server --config /etc/analyticshub/appsettings.json --Hub:DataDir=/var/lib/analyticshub\n", text, StringComparison.Ordinal);
        Assert.Contains("User=analyticshub\n", text, StringComparison.Ordinal);
        // The unit names the installed system's paths, never the staging root.
        Assert.DoesNotContain(_root, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Install_IntoAStagingRoot_PrintsTheUserAndSystemctlCommands_InsteadOfRunningThem()
    {
        var result = Script.Run(InstallScript, "--root", _root, "--from", _build);

        AssertSucceeded(result);
        Assert.Contains("would run: useradd --system --gid analyticshub --home-dir /var/lib/analyticshub --no-create-home --shell /usr/sbin/nologin analyticshub", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("would run: systemctl enable analyticshub.service", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Install_Twice_KeepsTheOperatorsConfig_WritesTheNewDefaultAsDist_AndReplacesBinaries()
    {
        AssertSucceeded(Install());
        var config = InRoot("/etc/analyticshub/appsettings.json");
        var env = InRoot("/etc/analyticshub/analyticshub.env");
        File.WriteAllText(config, """{"Hub":{"Storage":{"Kind":"clickhouse"}}}""");
        File.WriteAllText(env, "Hub__ClickHouse__Password=secret\n");
        WriteExecutable(Path.Combine(_build, "AnalyticsHub.Server"), "#!/bin/sh\necho server v2\n");

        AssertSucceeded(Install());

        Assert.Equal("""{"Hub":{"Storage":{"Kind":"clickhouse"}}}""", File.ReadAllText(config));
        Assert.Equal("Hub__ClickHouse__Password=secret\n", File.ReadAllText(env));
        Assert.Contains("\"Grpc\": 50051", File.ReadAllText(config + ".dist"), StringComparison.Ordinal);
        Assert.True(File.Exists(env + ".dist"));
        Assert.Equal("#!/bin/sh\necho server v2\n", File.ReadAllText(InRoot("/opt/analyticshub/bin/AnalyticsHub.Server")));
        Assert.False(Directory.Exists(InRoot("/opt/analyticshub/bin.old")));
        Assert.False(Directory.Exists(InRoot("/opt/analyticshub/bin.new")));
    }

    [Fact]
    public void Install_WithOverriddenPaths_WritesThemIntoTheUnit()
    {
        AssertSucceeded(Install("--prefix", "/srv/hub", "--config-dir", "/srv/hub-etc", "--data-dir", "/data/hub", "--log-dir", "/logs/hub"));

        Assert.True(File.Exists(InRoot("/srv/hub/bin/AnalyticsHub.Server")));
        Assert.True(File.Exists(InRoot("/srv/hub-etc/appsettings.json")));
        Assert.True(Directory.Exists(InRoot("/data/hub")));
        Assert.True(Directory.Exists(InRoot("/logs/hub")));
        var unit = File.ReadAllText(InRoot("/etc/systemd/system/analyticshub.service"));
        Assert.Contains("ExecStart=/srv/hub/bin/AnalyticsHub.Server --config /srv/hub-etc/appsettings.json --Hub:DataDir=/data/hub\n", unit, StringComparison.Ordinal);
        Assert.Contains("WorkingDirectory=/data/hub\n", unit, StringComparison.Ordinal);
        Assert.Contains("ReadWritePaths=/data/hub /logs/hub\n", unit, StringComparison.Ordinal);
        Assert.Contains("EnvironmentFile=-/srv/hub-etc/analyticshub.env\n", unit, StringComparison.Ordinal);
        Assert.DoesNotContain("/opt/analyticshub", unit, StringComparison.Ordinal);
        Assert.DoesNotContain("/var/lib/analyticshub", unit, StringComparison.Ordinal);
    }

    [Fact]
    public void Uninstall_RemovesBinariesAndUnit_KeepsConfigDataAndLogs()
    {
        AssertSucceeded(Install());
        File.WriteAllText(InRoot("/var/lib/analyticshub/wal.0"), "acknowledged events");

        AssertSucceeded(Uninstall());

        Assert.False(Directory.Exists(InRoot("/opt/analyticshub")));
        Assert.False(File.Exists(InRoot("/etc/systemd/system/analyticshub.service")));
        Assert.True(File.Exists(InRoot("/etc/analyticshub/appsettings.json")));
        Assert.True(File.Exists(InRoot("/etc/analyticshub/analyticshub.env")));
        Assert.Equal("acknowledged events", File.ReadAllText(InRoot("/var/lib/analyticshub/wal.0")));
        Assert.True(Directory.Exists(InRoot("/var/log/analyticshub")));

        // Uninstalling what is already gone is not an error.
        AssertSucceeded(Uninstall());
    }

    [Fact]
    public void UninstallPurge_RemovesConfigDataAndLogsToo()
    {
        AssertSucceeded(Install());
        File.WriteAllText(InRoot("/var/lib/analyticshub/wal.0"), "events");

        AssertSucceeded(Uninstall("--purge"));

        foreach (var path in new[] { "/opt/analyticshub", "/etc/analyticshub", "/var/lib/analyticshub", "/var/log/analyticshub" })
        {
            Assert.False(Directory.Exists(InRoot(path)), path + " still exists");
        }

        Assert.False(File.Exists(InRoot("/etc/systemd/system/analyticshub.service")));
        // The root's parents are untouched.
        Assert.True(Directory.Exists(InRoot("/var/lib")));
        Assert.True(Directory.Exists(InRoot("/etc/systemd/system")));
    }

    [Theory]
    [InlineData("--from", "/nonexistent-build")]
    [InlineData("--data-dir", "relative/data")]
    [InlineData("--prefix", "/")]
    [InlineData("--purge")]
    [InlineData("--bogus")]
    public void Install_WithBadArguments_FailsWithoutWritingAnything(params string[] arguments)
    {
        // A later option wins, so "--from /nonexistent-build" replaces the good build.
        var result = Script.Run(InstallScript, ["--root", _root, "--no-user", "--from", _build, .. arguments]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.False(Directory.Exists(InRoot("/opt")), result.ToString());
    }

    [Fact]
    public void Install_WithoutABuild_FailsAndSaysWhatIsMissing()
    {
        var result = Script.Run(InstallScript, "--root", _root, "--no-user");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--from DIR is required", result.StandardError, StringComparison.Ordinal);
    }
}
