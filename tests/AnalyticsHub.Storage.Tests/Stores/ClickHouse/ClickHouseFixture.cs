using System.Text.Json;
using AnalyticsHub.Storage.Stores.ClickHouse;
using AnalyticsHub.Testing.Stores;

namespace AnalyticsHub.Storage.Tests.Stores.ClickHouse;

/// <summary>All ClickHouse tests share one server and run one at a time (2-core machines), alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClickHouseCollection : ICollectionFixture<ClickHouseFixture>
{
    public const string Name = "ClickHouse";
}

/// <summary>
/// One real ClickHouse server for the collection, in a time zone that is not UTC (Asia/Kolkata,
/// +05:30) so a test fails if anything depended on the server's zone. Each test gets its own
/// database, so tests neither see nor clean up after each other.
/// </summary>
public sealed class ClickHouseFixture : IDisposable
{
    public const string ServerTimeZone = "Asia/Kolkata";

    public ClickHouseFixture()
    {
        Server = ClickHouseServer.Start(ServerTimeZone);
    }

    public ClickHouseServer Server { get; }

    /// <summary>Options for a fresh, not yet existing database on the server.</summary>
    public ClickHouseStoreOptions Options(string nodeId = "node-a") => new()
    {
        Url = Server.HttpUrl,
        Database = NewDatabaseName(),
        NodeId = nodeId,
        RequestTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>An initialized store over <paramref name="options"/> (a fresh database when null).</summary>
    public async Task<ClickHouseEventStore> StoreAsync(ClickHouseStoreOptions? options = null)
    {
        var store = new ClickHouseEventStore(options ?? Options());
        try
        {
            await store.InitializeAsync(CancellationToken.None);
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    public static string NewDatabaseName() => "t_" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Rows of a <c>FORMAT JSONCompact</c> answer, each value as text (numbers by their JSON text).</summary>
    public static List<string[]> JsonRows(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("data").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText()).ToArray())
            .ToList();
    }

    public long Count(string database, string table = "events", ClickHouseServer? server = null) =>
        long.Parse((server ?? Server).Query($"SELECT count() FROM {database}.{table}").Trim(), System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose() => Server.Dispose();
}
