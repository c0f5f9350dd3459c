using AnalyticsHub.Server.Configuration;
using Microsoft.Extensions.Configuration;

namespace AnalyticsHub.Server.UnitTests.Configuration;

/// <summary>
/// <c>--config PATH</c>: found in the arguments, read at startup (a missing or broken file refuses to start), and
/// followed on disk — through a link, and keeping its last good contents while an edit does not parse.
/// </summary>
public sealed class OperatorConfigFileTests : IDisposable
{
    private static readonly TimeSpan ReloadTimeout = TimeSpan.FromSeconds(15);
    private readonly string _dir = Directory.CreateTempSubdirectory("hub-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Levels(string level) => "{\"Logging\":{\"LogLevel\":{\"AnalyticsHub.Server.Query\":\"" + level + "\"}}}";

    private const string QueryLevel = "Logging:LogLevel:AnalyticsHub.Server.Query";

    [Theory]
    [InlineData(new[] { "--config", "/etc/hub.json", "--Hub:DataDir=/d" }, "/etc/hub.json")]
    [InlineData(new[] { "--Hub:DataDir=/d", "--config=/etc/hub.json" }, "/etc/hub.json")]
    [InlineData(new[] { "--Hub:DataDir=/d" }, null)]
    public void Locate_TakesThePathOutOfTheArguments(string[] args, string? expected)
    {
        Assert.Equal(expected, OperatorConfigFile.Locate(args, out var remaining));
        Assert.Equal(["--Hub:DataDir=/d"], remaining);
    }

    [Fact]
    public void Locate_WithoutAPath_IsAConfigurationError()
    {
        var e = Assert.Throws<InvalidOperationException>(() => OperatorConfigFile.Locate(["--config", "--Hub:DataDir=/d"], out _));
        Assert.StartsWith("Invalid configuration", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("{ not json")]
    public void Add_MissingOrBrokenFile_IsAConfigurationError(string? content)
    {
        var path = Path.Combine(_dir, "hub.json");
        if (content is not null)
        {
            File.WriteAllText(path, content);
        }

        var e = Assert.Throws<InvalidOperationException>(() => OperatorConfigFile.Add(new ConfigurationManager(), path));
        Assert.StartsWith("Invalid configuration", e.Message, StringComparison.Ordinal);
        Assert.Contains("hub.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditOfALinkedFilesTarget_IsReloaded()
    {
        // As deploy/install.sh used to do it: the path handed to the hub is a link to the operator's file elsewhere.
        var real = Path.Combine(Directory.CreateDirectory(Path.Combine(_dir, "etc")).FullName, "appsettings.json");
        var link = Path.Combine(Directory.CreateDirectory(Path.Combine(_dir, "bin")).FullName, "appsettings.Production.json");
        File.WriteAllText(real, Levels("Warning"));
        File.CreateSymbolicLink(link, real);
        var configuration = new ConfigurationManager();
        OperatorConfigFile.Add(configuration, link);
        Assert.Equal("Warning", configuration[QueryLevel]);

        File.WriteAllText(real, Levels("Information"));

        await UntilAsync(() => configuration[QueryLevel] == "Information", () => $"still {configuration[QueryLevel]}");
    }

    [Fact]
    public async Task EditThatDoesNotParse_KeepsTheLastGoodContents_UntilFixed()
    {
        var path = Path.Combine(_dir, "hub.json");
        File.WriteAllText(path, Levels("Warning"));
        var configuration = new ConfigurationManager();
        var source = OperatorConfigFile.Add(configuration, path);
        var unreadable = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Unreadable = e => unreadable.TrySetResult(e);

        File.WriteAllText(path, """{"Logging":{"LogLevel":""");
        await unreadable.Task.WaitAsync(ReloadTimeout);
        Assert.Equal("Warning", configuration[QueryLevel]);

        File.WriteAllText(path, Levels("Debug"));
        await UntilAsync(() => configuration[QueryLevel] == "Debug", () => $"still {configuration[QueryLevel]}");
    }

    private static async Task UntilAsync(Func<bool> condition, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + ReloadTimeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not reloaded within {ReloadTimeout.TotalSeconds} s: {describe()}");
            await Task.Delay(20);
        }
    }
}
