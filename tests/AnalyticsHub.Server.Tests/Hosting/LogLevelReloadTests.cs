using System.Net;
using System.Text.Json;
using AnalyticsHub.Server.Tests.Ingestion;

namespace AnalyticsHub.Server.Tests.Hosting;

/// <summary>
/// Log levels change at runtime: a hub started with <c>--config FILE</c> follows edits of the file's <c>Logging</c>
/// section without a restart, and says that changed <c>Hub</c> keys wait for one. The probe is the query executor's
/// Information event 601 (a rollup computation slower than <c>SlowComputationMs</c>, here 0: every one), which a
/// query with the result cache off triggers every time.
/// </summary>
public sealed class LogLevelReloadTests : IDisposable
{
    private const int SlowComputationEvent = 601;
    private const string QueryCategory = "AnalyticsHub.Server.Query.QueryExecutor";
    private static readonly TimeSpan ReloadTimeout = TimeSpan.FromSeconds(15);
    private readonly string _dir = Directory.CreateTempSubdirectory("hub-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Config(string queryLevel, int maxLimit) => $$"""
        {
          "Logging": { "LogLevel": { "Default": "Information", "Microsoft.AspNetCore": "Warning", "AnalyticsHub.Server.Query": "{{queryLevel}}" } },
          "Hub": { "Query": { "MaxLimit": {{maxLimit}} } }
        }
        """;

    [Fact]
    public async Task EditedConfigFile_ChangesLogLevelsWithoutRestart_AndNamesHubKeysThatNeedOne()
    {
        var path = Path.Combine(_dir, "appsettings.json");
        await File.WriteAllTextAsync(path, Config("Warning", 10_000));
        await using var hub = HubProcess.Start("--config", path, "--Hub:Query:SlowComputationMs=0", "--Hub:Query:CacheEntries=0");
        await hub.WaitUntilListeningAsync(TimeSpan.FromSeconds(30));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{hub.HttpPort}") };

        // Filtered to Warning: computations happen, event 601 is not written.
        for (int i = 0; i < 3; i++)
        {
            await QueryAsync(http, "before_reload");
        }

        await File.WriteAllTextAsync(path, Config("Information", 20_000));

        await Poll.UntilAsync(async () =>
        {
            await QueryAsync(http, "after_reload");
            return SlowComputations(hub.Output).Any(line => line.Contains("after_reload", StringComparison.Ordinal));
        }, ReloadTimeout, () => "event 601 never appeared after the edit:\n" + hub.Output);

        // The console logger writes in order: had the early computations been logged, they would be out by now.
        Assert.DoesNotContain(SlowComputations(hub.Output), line => line.Contains("before_reload", StringComparison.Ordinal));
        using var entry = JsonDocument.Parse(SlowComputations(hub.Output).First());
        Assert.Equal(("Information", QueryCategory), (entry.RootElement.GetProperty("LogLevel").GetString(), entry.RootElement.GetProperty("Category").GetString()));

        // The Hub key changed too, and says it waits for a restart (the process is the same one: no restart happened).
        Assert.False(hub.HasExited);
        await Poll.UntilAsync(() => LogLines(hub.Output, 102).Any(line => line.Contains("Hub:Query:MaxLimit", StringComparison.Ordinal)),
            ReloadTimeout, () => "no restart-needed warning:\n" + hub.Output);
        Assert.Single(LogLines(hub.Output, 101)); // the watched file is named once at startup
    }

    private static async Task QueryAsync(HttpClient http, string metric)
    {
        using var response = await http.PostAsync("/api/v1/query", new StringContent(
            $$$"""{"metric":"{{{metric}}}","time_range":"last 1h","aggregation":{"functions":["count"]}}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private static IEnumerable<string> SlowComputations(string output) => LogLines(output, SlowComputationEvent);

    /// <summary>The JSON console lines with event id <paramref name="eventId"/>.</summary>
    private static IEnumerable<string> LogLines(string output, int eventId) =>
        output.Split('\n').Where(line => line.StartsWith('{') && line.Contains($"\"EventId\":{eventId},", StringComparison.Ordinal));
}
