using AnalyticsHub.Core.Rollups;
using AnalyticsHub.Core.Storage;
using AnalyticsHub.Storage.Stores;
using AnalyticsHub.Storage.Stores.ClickHouse;
using AnalyticsHub.Storage.Stores.Embedded;
using AnalyticsHub.Storage.Stores.Postgres;
using AnalyticsHub.Storage.Tests.Wal;
using AnalyticsHub.Testing.Stores;

namespace AnalyticsHub.Storage.Tests.Query;

/// <summary>The three stores, each holding <see cref="QueryScenario"/>; query tests only read, so they share them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class QueryStoresCollection : ICollectionFixture<QueryStoresFixture>
{
    public const string Name = "Query stores";
}

/// <summary>
/// A real ClickHouse (in a non-UTC zone, as the other ClickHouse tests), a real PostgreSQL and an
/// embedded file, each initialised and given the scenario's rows through <see cref="IEventStore.WriteAsync"/>.
/// </summary>
public sealed class QueryStoresFixture : IAsyncLifetime
{
    /// <summary>The stores every query test runs on; <c>postgres-json</c> keeps tags and payload as <c>json</c> instead of <c>jsonb</c>.</summary>
    public static readonly string[] StoreNames = ["embedded", "postgres", "postgres-json", "clickhouse"];

    private readonly TempDirectory _directory = new();
    private ClickHouseServer? _clickHouse;
    private PostgresServer? _postgres;

    public SeriesDimensions Dimensions { get; } = new(["team"]);

    public EmbeddedEventStore Embedded { get; private set; } = null!;

    public PostgresEventStore Postgres { get; private set; } = null!;

    public PostgresEventStore PostgresJson { get; private set; } = null!;

    public ClickHouseEventStore ClickHouse { get; private set; } = null!;

    public ClickHouseServer ClickHouseServer => _clickHouse!;

    public string PostgresConnectionString { get; private set; } = "";

    public string ClickHouseDatabase { get; private set; } = "";

    public static TheoryData<string> Stores() => [.. StoreNames];

    public IEventQueries Store(string name) => name switch
    {
        "embedded" => Embedded,
        "postgres" => Postgres,
        "postgres-json" => PostgresJson,
        "clickhouse" => ClickHouse,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    public async Task InitializeAsync()
    {
        using var batch = QueryScenario.Batch();
        var startClickHouse = Task.Run(() => ClickHouseServer.Start("Asia/Kolkata"));
        var startPostgres = Task.Run(() => PostgresServer.StartNew());

        Embedded = new EmbeddedEventStore(new EmbeddedStoreOptions { DatabasePath = Path.Combine(_directory.Path, "events.db") });
        await Embedded.InitializeAsync(CancellationToken.None);
        await Write(Embedded, batch);

        _postgres = await startPostgres;
        PostgresConnectionString = _postgres.CreateDatabase("query_" + Guid.NewGuid().ToString("N")[..8]);
        Postgres = new PostgresEventStore(new PostgresStoreOptions { ConnectionString = PostgresConnectionString, NodeId = "node-q" });
        await Postgres.InitializeAsync(CancellationToken.None);
        await Write(Postgres, batch);
        PostgresJson = new PostgresEventStore(new PostgresStoreOptions
        {
            ConnectionString = _postgres.CreateDatabase("query_json_" + Guid.NewGuid().ToString("N")[..8]),
            NodeId = "node-q",
            JsonType = PostgresJsonType.Json,
        });
        await PostgresJson.InitializeAsync(CancellationToken.None);
        await Write(PostgresJson, batch);

        _clickHouse = await startClickHouse;
        ClickHouseDatabase = "q_" + Guid.NewGuid().ToString("N")[..12];
        ClickHouse = new ClickHouseEventStore(new ClickHouseStoreOptions { Url = _clickHouse.HttpUrl, Database = ClickHouseDatabase, NodeId = "node-q" });
        await ClickHouse.InitializeAsync(CancellationToken.None);
        await Write(ClickHouse, batch);
    }

    public async Task DisposeAsync()
    {
        foreach (IAsyncDisposable? store in new IAsyncDisposable?[] { Embedded, Postgres, PostgresJson, ClickHouse })
        {
            if (store is not null)
            {
                await store.DisposeAsync();
            }
        }

        _clickHouse?.Dispose();
        _postgres?.Dispose();
        _directory.Dispose();
    }

    /// <summary>Runs <paramref name="action"/> with lower query limits on every store, restoring them after.</summary>
    public async Task WithLimitsAsync(EventQueryLimits limits, Func<Task> action)
    {
        var stores = StoreNames.Select(Store).ToArray();
        foreach (var store in stores)
        {
            store.QueryLimits = limits;
        }

        try
        {
            await action();
        }
        finally
        {
            foreach (var store in stores)
            {
                store.QueryLimits = EventQueryLimits.Default;
            }
        }
    }

    private static Task Write(IEventStore store, StoredEventBatch batch) =>
        store.WriteAsync(batch, 0, batch.Count, new StorePosition(batch.NextAddress, 0), CancellationToken.None);
}
