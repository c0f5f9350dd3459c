using System.Diagnostics;
using AnalyticsHub.Core.Query;
using AnalyticsHub.Core.Rollups;
using AnalyticsHub.Core.Storage;
using AnalyticsHub.Storage.Stores;
using AnalyticsHub.Storage.Stores.ClickHouse;
using AnalyticsHub.Storage.Stores.Embedded;
using AnalyticsHub.Storage.Stores.Postgres;
using AnalyticsHub.Storage.Tests.Stores;
using AnalyticsHub.Storage.Tests.Stores.Embedded;
using AnalyticsHub.Storage.Tests.Wal;
using AnalyticsHub.Testing.Stores;
using Npgsql;
using Xunit.Abstractions;
using static AnalyticsHub.Storage.Tests.Query.QueryTestKit;

namespace AnalyticsHub.Storage.Tests.Query;

/// <summary>
/// Figures behind the query layer's choices (not tests):
/// <code>
/// HUB_MEASURE=1 dotnet test tests/AnalyticsHub.Storage.Tests -c Release \
///   --filter "Category=Measurement&amp;FullyQualifiedName~Query" --logger "console;verbosity=detailed"
/// </code>
/// </summary>
[Trait("Category", "Measurement")]
public sealed class QueryMeasurements(ITestOutputHelper output)
{
    private const int Batches = 50;
    private const int RowsPerBatch = 10_000;

    /// <summary>What the partial correlation index costs the embedded writer (sample rows: half carry a correlation id).</summary>
    [MeasurementFact]
    public async Task Measure_EmbeddedCorrelationIndex_WriteCost()
    {
        output.WriteLine($"{Environment.ProcessorCount} cores, {Batches * RowsPerBatch:N0} sample rows per run, 10k-row batches; median [min..max] of 5 rounds");
        await RunEmbedded(dropCorrelationIndex: false); // warm-up
        var with = new List<(double Rate, double Bytes)>();
        var without = new List<(double Rate, double Bytes)>();
        for (int round = 0; round < 5; round++)
        {
            with.Add(await RunEmbedded(dropCorrelationIndex: false));
            without.Add(await RunEmbedded(dropCorrelationIndex: true));
        }

        foreach (var (name, runs) in new[] { ("with ix_events_correlation", with), ("without", without) })
        {
            var rates = runs.Select(r => r.Rate).Order().ToArray();
            output.WriteLine($"{name,-28} {rates[2],9:N0} rows/s [{rates[0]:N0}..{rates[^1]:N0}]  {runs[^1].Bytes,6:F1} B/row");
        }
    }

    /// <summary>Search and aggregate latency on half a million rows per store, and PostgreSQL's plans.</summary>
    [MeasurementFact]
    public async Task Measure_QueryLatency_HalfAMillionRows()
    {
        using var directory = new TempDirectory();
        using var clickHouse = ClickHouseServer.Start();
        using var postgres = PostgresServer.StartNew();
        await using var embedded = new EmbeddedEventStore(new EmbeddedStoreOptions { DatabasePath = Path.Combine(directory.Path, "events.db") });
        await using var pg = new PostgresEventStore(new PostgresStoreOptions { ConnectionString = postgres.CreateDatabase("measure"), NodeId = "m" });
        await using var ch = new ClickHouseEventStore(new ClickHouseStoreOptions { Url = clickHouse.HttpUrl, Database = "measure", NodeId = "m" });
        var all = new (string Name, IEventStore Store)[] { ("embedded", embedded), ("postgres", pg), ("clickhouse", ch) };
        foreach (var (_, store) in all)
        {
            await store.InitializeAsync(CancellationToken.None);
        }

        for (int b = 0; b < Batches; b++)
        {
            using var batch = StoredEventSamples.Batch(RowsPerBatch / 10, 10, 64 + (b * 4096L * RowsPerBatch), "default", StoredEventSamples.BaseTime.AddSeconds(b * 20));
            foreach (var (_, store) in all)
            {
                await store.WriteAsync(batch, 0, batch.Count, new StorePosition(batch.NextAddress, 0), CancellationToken.None);
            }
        }

        using (var analyze = new NpgsqlConnection(postgres.ConnectionStringFor("measure")))
        {
            await analyze.OpenAsync();
            await using var command = new NpgsqlCommand("ANALYZE events", analyze);
            await command.ExecuteNonQueryAsync();
        }

        long start = QueryScenario.Ns(StoredEventSamples.BaseTime.AddHours(-1));
        long end = QueryScenario.Ns(StoredEventSamples.BaseTime.AddHours(2));
        var dimensions = new SeriesDimensions();
        var searches = new (string Name, EventSearchQuery Query)[]
        {
            ("search newest 100", new EventSearchQuery { TenantId = "default", StartUnixNano = start, EndUnixNano = end, Limit = 100 }),
            ("search tags.region eq (1/4 rows)", new EventSearchQuery { TenantId = "default", StartUnixNano = start, EndUnixNano = end, Limit = 100, Filters = [Filter(SeriesTag("region"), FilterOperator.Eq, "eu-west-1")] }),
            ("search no match (scan bound)", new EventSearchQuery { TenantId = "default", StartUnixNano = start, EndUnixNano = end, Limit = 100, Filters = [Filter(Tag("nothing"), FilterOperator.Eq, "x")] }),
            ("search correlation id", new EventSearchQuery { TenantId = "default", StartUnixNano = start, EndUnixNano = end, Limit = 100, CorrelationId = "corr-" + (64 + (25 * 4096L * RowsPerBatch) + (4096 * 7)) }),
        };
        var metrics = new (string Name, MetricQuery Query)[]
        {
            ("aggregate latency 1m by model", Metric("latency_ms", 60, [AggregateFunction.Avg], [SeriesTag("model")]) with { TenantId = "default", StartUnixNano = start, EndUnixNano = end }),
            ("aggregate latency p99 by endpoint", Metric("latency_ms", 300, [AggregateFunction.P99], [Dimension("endpoint")]) with { TenantId = "default", StartUnixNano = start, EndUnixNano = end }),
        };
        foreach (var (name, store) in all)
        {
            var queries = (IEventQueries)store;
            foreach (var (what, query) in searches)
            {
                await queries.SearchAsync(query, dimensions, CancellationToken.None);
                var clock = Stopwatch.StartNew();
                var page = await queries.SearchAsync(query, dimensions, CancellationToken.None);
                output.WriteLine($"{name,-10} {what,-36} {clock.Elapsed.TotalMilliseconds,8:F1} ms  {page.Events.Count} rows{(page.Next is null ? "" : ", more")}");
            }

            foreach (var (what, query) in metrics)
            {
                await queries.AggregateAsync(query, dimensions, CancellationToken.None);
                var clock = Stopwatch.StartNew();
                var cells = await queries.AggregateAsync(query, dimensions, CancellationToken.None);
                output.WriteLine($"{name,-10} {what,-36} {clock.Elapsed.TotalMilliseconds,8:F1} ms  {cells.Count} cells");
            }
        }

        foreach (var (what, query) in searches)
        {
            var (text, sql) = pg.SearchStatement(query, dimensions, EventQueryLimits.Default);
            await using var connection = new NpgsqlConnection(postgres.ConnectionStringFor("measure"));
            await connection.OpenAsync();
            await using var explain = new NpgsqlCommand("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + text, connection);
            explain.Parameters.AddRange(sql.Parameters.ToArray());
            await using var reader = await explain.ExecuteReaderAsync();
            output.WriteLine("postgres plan, " + what + ":");
            while (await reader.ReadAsync())
            {
                output.WriteLine("  " + reader.GetString(0));
            }
        }
    }

    private static async Task<(double Rate, double Bytes)> RunEmbedded(bool dropCorrelationIndex)
    {
        using var directory = new TempDirectory();
        var options = EmbeddedTestKit.Options(directory.Path);
        await using var store = await EmbeddedTestKit.OpenAsync(options);
        if (dropCorrelationIndex)
        {
            await store.RunOnWriterAsync(c =>
            {
                using var command = c.CreateCommand();
                command.CommandText = "DROP INDEX ix_events_correlation";
                return command.ExecuteNonQuery();
            });
        }

        var inWrite = TimeSpan.Zero;
        for (int b = 0; b < Batches; b++)
        {
            using StoredEventBatch batch = StoredEventSamples.Batch(RowsPerBatch / 10, 10, 64 + (b * 4096L * RowsPerBatch), "default", StoredEventSamples.BaseTime.AddSeconds(b * 20));
            var clock = Stopwatch.StartNew();
            await store.WriteAsync(batch, 0, batch.Count, new StorePosition(batch.NextAddress, 0), CancellationToken.None);
            inWrite += clock.Elapsed;
        }

        await store.RunOnWriterAsync(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            return command.ExecuteNonQuery();
        });
        double rows = Batches * (double)RowsPerBatch;
        return (rows / inWrite.TotalSeconds, new FileInfo(options.DatabasePath).Length / rows);
    }
}
