using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AnalyticsHub.Server.Tests.Storage;

/// <summary>What <c>/readyz</c> says: status code and every check (<c>wal</c>, <c>store</c>, <c>backlog</c>, ...).</summary>
internal sealed partial record HubReadiness(HttpStatusCode Status, IReadOnlyDictionary<string, string> Checks)
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(5) };

    public bool Ready => Status == HttpStatusCode.OK;

    public string Store => Checks.GetValueOrDefault("store") ?? "";

    public string Wal => Checks.GetValueOrDefault("wal") ?? "";

    /// <summary>Bytes of the WAL not yet in the store, from the <c>backlog</c> check ("[degraded: ]N bytes not yet in the store ...").</summary>
    public long BacklogBytes
    {
        get
        {
            var match = BacklogPattern().Match(Checks.GetValueOrDefault("backlog") ?? "");
            return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
        }
    }

    public static async Task<HubReadiness> GetAsync(HubProcess hub)
    {
        using var response = await Client.GetAsync($"http://127.0.0.1:{hub.HttpPort}/readyz");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var checks = body.GetProperty("checks").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
        return new HubReadiness(response.StatusCode, checks);
    }

    /// <summary>/readyz and the WAL reader checkpoints, for failure messages.</summary>
    public static async Task<string> DescribeAsync(HubProcess hub) =>
        $"{await GetAsync(hub)}; WAL reader checkpoints: {WalReaderCheckpoints.Describe(hub.DataDir)}";

    public override string ToString() =>
        $"{(int)Status} {{{string.Join("; ", Checks.Select(c => $"{c.Key}: {c.Value}"))}}}";

    [GeneratedRegex(@"(-?\d+) bytes not yet in the store")]
    private static partial Regex BacklogPattern();
}
