using AnalyticsHub.Storage.Stores.Postgres;
using AnalyticsHub.Testing.Stores;
using Npgsql;

namespace AnalyticsHub.Storage.Tests.Stores.Postgres;

/// <summary>One PostgreSQL server for every test of the collection; each test takes a fresh database.</summary>
public sealed class PostgresFixture : IDisposable
{
    private int _databases;

    public PostgresServer Server { get; } = PostgresServer.StartNew();

    /// <summary>A new empty database; returns its connection string.</summary>
    public string NewDatabase() =>
        Server.CreateDatabase($"t{Interlocked.Increment(ref _databases)}_{Guid.NewGuid().ToString("N")[..8]}");

    /// <summary>A store on <paramref name="connectionString"/> whose clock says <see cref="StoredEventSamples.BaseTime"/> unless told otherwise.</summary>
    public static PostgresEventStore NewStore(string connectionString, Func<PostgresStoreOptions, PostgresStoreOptions>? configure = null, DateTimeOffset? now = null, string node = "node-a")
    {
        var options = new PostgresStoreOptions { ConnectionString = connectionString, NodeId = node };
        return new PostgresEventStore(configure is null ? options : configure(options), clock: new FixedClock(now ?? StoredEventSamples.BaseTime));
    }

    public void Dispose() => Server.Dispose();
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL server";
}

/// <summary>A clock that always says one instant.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>Reads what a store wrote, with plain Npgsql and SQL (independently of the store's code).</summary>
public static class PostgresRead
{
    public static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static async Task<List<object?[]>> RowsAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (int i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }
            rows.Add(row);
        }
        return rows;
    }

    public static Task<long> CountAsync(string connectionString, string table = "events") =>
        ScalarAsync<long>(connectionString, $"SELECT count(*) FROM {table}");

    /// <summary>Partitions of <c>events</c> by name, sorted.</summary>
    public static async Task<List<string>> PartitionsAsync(string connectionString)
    {
        var rows = await RowsAsync(connectionString,
            "SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'events'::regclass ORDER BY 1");
        return rows.Select(r => (string)r[0]!).ToList();
    }

    /// <summary>Rows per partition (partition name → count).</summary>
    public static async Task<Dictionary<string, long>> RowsPerPartitionAsync(string connectionString)
    {
        var rows = await RowsAsync(connectionString, "SELECT tableoid::regclass::text, count(*) FROM events GROUP BY 1");
        return rows.ToDictionary(r => (string)r[0]!, r => (long)r[1]!);
    }

    /// <summary>This node's checkpoint row, or null.</summary>
    public static async Task<(long Address, int Index)?> CheckpointAsync(string connectionString, string node = "node-a")
    {
        var rows = await RowsAsync(connectionString, $"SELECT wal_address, wal_index FROM drain_checkpoints WHERE node = '{node}'");
        return rows.Count == 0 ? null : ((long)rows[0][0]!, (int)rows[0][1]!);
    }
}
