using System.Diagnostics;
using System.Globalization;
using AnalyticsHub.Core.Storage;
using AnalyticsHub.Storage.Stores;
using AnalyticsHub.Storage.Stores.Postgres;
using AnalyticsHub.Testing.Stores;

namespace AnalyticsHub.Storage.Tests.Stores.Postgres;

/// <summary>
/// A rough throughput check of <see cref="PostgresEventStore.WriteAsync"/>, run by hand
/// (<c>dotnet AnalyticsHub.Storage.Tests.dll postgres-throughput [rows] [runs]</c>): 1M sample rows
/// in batches of 50k into a fresh PostgreSQL (fsync on), once per variant (jsonb or json columns;
/// with the default index, also the search index, or none) and run, then rows/s, client CPU and allocation per row, and bytes per row on
/// disk. Figures for reports, not for docs (no BenchmarkDotNet rigour).
/// </summary>
internal static class PostgresThroughput
{
    public const string Command = "postgres-throughput";

    private const int BatchRows = 50_000;

    public static async Task RunAsync(int rows, int runs)
    {
        using var server = PostgresServer.StartNew(durable: true, new Dictionary<string, string>
        {
            ["shared_buffers"] = "'512MB'",
            ["max_wal_size"] = "'4GB'",
            ["checkpoint_timeout"] = "'30min'",
        });
        Console.WriteLine($"{server.Version}, fsync on; {Environment.ProcessorCount} cores; {rows:N0} rows in batches of {BatchRows:N0}");
        for (int run = 1; run <= runs; run++)
        {
            Console.WriteLine($"run {run}");
            await RunVariantAsync(server, run, "jsonb (default)", o => o, rows);
            await RunVariantAsync(server, run, "json", o => o with { JsonType = PostgresJsonType.Json }, rows);
            await RunVariantAsync(server, run, "jsonb + search index", o => o with { SearchIndex = true }, rows);
            await RunVariantAsync(server, run, "jsonb, no index", o => o, rows, dropIndex: true);
        }
    }

    private static async Task RunVariantAsync(PostgresServer server, int run, string label, Func<PostgresStoreOptions, PostgresStoreOptions> configure, int rows, bool dropIndex = false)
    {
        string database = "throughput_" + run;
        string connectionString = server.CreateDatabase(database);
        try
        {
            await RunVariantAsync(server, database, connectionString, label, configure, rows, dropIndex);
        }
        finally
        {
            // the next variant gets the machine's disk and autovacuum to itself
            server.Psql("DROP DATABASE " + database);
        }
    }

    private static async Task RunVariantAsync(PostgresServer server, string database, string connectionString, string label, Func<PostgresStoreOptions, PostgresStoreOptions> configure, int rows, bool dropIndex)
    {
        var now = StoredEventSamples.BaseTime;
        await using var store = new PostgresEventStore(
            configure(new PostgresStoreOptions { ConnectionString = connectionString, NodeId = "bench", CommandTimeout = TimeSpan.FromMinutes(5) }),
            clock: new FixedClock(now));
        await store.InitializeAsync(CancellationToken.None);
        if (dropIndex)
        {
            server.Psql("DROP INDEX events_tenant_time", database);
        }

        // Warm-up (JIT, connection, type loading), then a clean table.
        using (var warm = StoredEventSamples.Batch(100, 10))
        {
            await store.WriteAsync(warm, 0, warm.Count, new StorePosition(warm.NextAddress, 0), CancellationToken.None);
        }

        server.Psql("TRUNCATE events; CHECKPOINT", database);

        var elapsed = TimeSpan.Zero;
        var cpu = TimeSpan.Zero;
        double serverCpuSeconds = 0;
        long allocated = 0;
        long address = 64;
        using var batch = new StoredEventBatch(BatchRows, 16 << 20);
        for (int written = 0; written < rows; written += BatchRows)
        {
            batch.Reset();
            int count = Math.Min(BatchRows, rows - written);
            StoredEventSamples.Fill(batch, count / 10, 10, address, "tenant-" + (written / BatchRows % 4), now);
            address = batch.NextAddress;

            var serverBefore = ServerTicks();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            await store.WriteAsync(batch, 0, batch.Count, new StorePosition(batch.NextAddress, 0), CancellationToken.None);
            elapsed += clock.Elapsed;
            allocated += GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            cpu += Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            var serverAfter = ServerTicks();
            serverCpuSeconds += serverAfter.Where(p => serverBefore.ContainsKey(p.Key)).Sum(p => p.Value - serverBefore[p.Key]) / 100.0;
        }

        server.Psql("VACUUM ANALYZE events", database);
        long stored = long.Parse(server.Psql("SELECT count(*) FROM events", database), CultureInfo.InvariantCulture);
        long[] bytes = server.Psql(
            "SELECT sum(pg_total_relation_size(inhrelid)), sum(pg_table_size(inhrelid)), sum(pg_indexes_size(inhrelid)) FROM pg_inherits WHERE inhparent = 'events'::regclass",
            database).Trim().Split('|').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        Console.WriteLine(
            $"{label,-28} {rows / elapsed.TotalSeconds,10:N0} rows/s  ({elapsed.TotalSeconds:F2} s; CPU per 1M rows: client {cpu.TotalSeconds * 1e6 / rows:F2} s, server {serverCpuSeconds * 1e6 / rows:F2} s; "
            + $"{(double)allocated / rows:F1} B allocated/row)  on disk: {(double)bytes[0] / stored:F1} B/row total "
            + $"= {(double)bytes[1] / stored:F1} table + {(double)bytes[2] / stored:F1} indexes ({stored:N0} rows)");
    }

    /// <summary>CPU time (utime + stime, clock ticks of 1/100 s) of every process of the postgres user, by pid:
    /// the server's share of the work, whatever else the machine runs.</summary>
    private static Dictionary<int, long> ServerTicks()
    {
        var ticks = new Dictionary<int, long>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid))
            {
                continue;
            }

            try
            {
                if (!File.ReadAllText(Path.Combine(dir, "status")).Contains("\nUid:\t" + PostgresUid + "\t", StringComparison.Ordinal))
                {
                    continue;
                }

                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks[pid] = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // the process ended meanwhile
            }
        }

        return ticks;
    }

    private static readonly string PostgresUid = File.ReadLines("/etc/passwd").First(l => l.StartsWith("postgres:", StringComparison.Ordinal)).Split(':')[2];
}
