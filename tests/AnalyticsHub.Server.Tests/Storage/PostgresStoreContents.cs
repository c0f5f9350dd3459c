using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using Npgsql;

namespace AnalyticsHub.Server.Tests.Storage;

/// <summary>
/// Reads the PostgreSQL store's <c>events</c> table with plain Npgsql and SQL, independently of the
/// store code: event id → how many rows hold it, the row count, and an order-independent checksum
/// of the ids computed by the server (<see cref="IdChecksum"/>), to compare with what the client
/// got acks for. Connections are not pooled, so a restarted server is simply reconnected. Before
/// the hub created the table there is nothing: empty results, not errors.
/// </summary>
internal static class PostgresStoreContents
{
    private const string UndefinedTable = "42P01";

    public static async Task<Dictionary<Guid, int>> ReadAsync(string connectionString)
    {
        var counts = new Dictionary<Guid, int>();
        await using var connection = await OpenAsync(connectionString);
        await using var command = new NpgsqlCommand("SELECT event_id FROM events", connection);
        try
        {
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var id = reader.GetGuid(0);
                counts[id] = counts.GetValueOrDefault(id) + 1;
            }
        }
        catch (PostgresException e) when (e.SqlState == UndefinedTable)
        {
        }

        return counts;
    }

    /// <summary>
    /// Waits until the hub reports nothing left to drain (<c>/readyz</c> backlog 0: no write can
    /// still be coming) and the table holds at least <paramref name="expectedRows"/> rows — or until
    /// it has reported nothing left to drain for 10 s with fewer rows (lost events: the caller's
    /// assertions then say which). Returns the row count.
    /// </summary>
    public static async Task<long> WaitUntilDrainedAsync(HubProcess hub, string connectionString, long expectedRows, TimeSpan timeout, Func<string> describe)
    {
        var settled = TimeSpan.FromSeconds(10);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        TimeSpan? drainedSince = null;
        HubReadiness readiness = null!;
        long rows = 0;
        await Ingestion.Poll.UntilAsync(async () =>
        {
            await Task.Delay(250);
            readiness = await HubReadiness.GetAsync(hub);
            rows = await CountAsync(connectionString);
            drainedSince = readiness.BacklogBytes == 0 ? drainedSince ?? clock.Elapsed : null;
            return drainedSince is { } since && (rows >= expectedRows || clock.Elapsed - since >= settled);
        }, timeout, () => $"PostgreSQL holds {rows:N0} rows of {expectedRows:N0} expected: {readiness}\n{describe()}");
        return rows;
    }

    /// <summary>Rows in <c>events</c> (0 before the table exists).</summary>
    public static async Task<long> CountAsync(string connectionString)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM events", connection);
        try
        {
            return (long)(await command.ExecuteScalarAsync())!;
        }
        catch (PostgresException e) when (e.SqlState == UndefinedTable)
        {
            return 0;
        }
    }

    /// <summary>The WAL address in the store's drain checkpoint (table <c>drain_checkpoints</c>, one row per node), or null.</summary>
    public static async Task<long?> DrainCheckpointAddressAsync(string connectionString)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var command = new NpgsqlCommand("SELECT max(wal_address) FROM drain_checkpoints", connection);
        try
        {
            return await command.ExecuteScalarAsync() is long address ? address : null;
        }
        catch (PostgresException e) when (e.SqlState == UndefinedTable)
        {
            return null;
        }
    }

    /// <summary>
    /// The checksum of every row's id, computed by PostgreSQL itself (md5 of the uuid's text, both
    /// 64-bit halves summed as exact numerics): a duplicate row adds its hash once more, a lost row
    /// is missing from the sum, and the order rows were stored in does not matter.
    /// </summary>
    public static async Task<IdChecksum> ChecksumAsync(string connectionString)
    {
        const string Sql = """
            SELECT count(*),
                   coalesce(sum(('x' || substr(md5(event_id::text), 1, 16))::bit(64)::bigint::numeric), 0)::text,
                   coalesce(sum(('x' || substr(md5(event_id::text), 17, 16))::bit(64)::bigint::numeric), 0)::text
            FROM events
            """;
        await using var connection = await OpenAsync(connectionString);
        await using var command = new NpgsqlCommand(Sql, connection) { CommandTimeout = 120 };
        try
        {
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            return new IdChecksum(
                reader.GetInt64(0),
                BigInteger.Parse(reader.GetString(1), CultureInfo.InvariantCulture),
                BigInteger.Parse(reader.GetString(2), CultureInfo.InvariantCulture));
        }
        catch (PostgresException e) when (e.SqlState == UndefinedTable)
        {
            return IdChecksum.Empty;
        }
    }

    /// <summary>
    /// Fails naming expected ids missing, ids stored more than once, and (when
    /// <paramref name="complete"/>: the expected ids are everything that may be stored) ids nobody
    /// expected.
    /// </summary>
    public static void AssertEachOnce(Dictionary<Guid, int> stored, IReadOnlyCollection<Guid> expected, string what, bool complete = false) =>
        StoredIds.AssertEachOnce(stored, expected, what, "PostgreSQL", complete);

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 5, CommandTimeout = 60 };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}

/// <summary>
/// An order-independent checksum of a multiset of event ids: how many, and the sums (exact, no
/// wrap-around) of the two 64-bit halves (big-endian, signed) of md5 of each id's canonical text.
/// PostgreSQL computes the same over its rows (<see cref="PostgresStoreContents.ChecksumAsync"/>).
/// </summary>
internal readonly record struct IdChecksum(long Count, BigInteger SumHigh, BigInteger SumLow)
{
    public static readonly IdChecksum Empty = new(0, BigInteger.Zero, BigInteger.Zero);

    public static IdChecksum Of(IEnumerable<Guid> ids)
    {
        long count = 0;
        Int128 high = 0;
        Int128 low = 0;
        Span<byte> text = stackalloc byte[36];
        Span<byte> hash = stackalloc byte[16];
        foreach (var id in ids)
        {
            // Guid "D" format is the lowercase canonical text PostgreSQL prints for a uuid.
            id.TryFormat(text, out _, "D");
            MD5.HashData(text, hash);
            high += BinaryPrimitives.ReadInt64BigEndian(hash);
            low += BinaryPrimitives.ReadInt64BigEndian(hash[8..]);
            count++;
        }

        return new IdChecksum(count, (BigInteger)high, (BigInteger)low);
    }

    public override string ToString() => $"{Count:N0} ids, Σhigh {SumHigh}, Σlow {SumLow}";

    /// <summary>Ids as the client sent them (UUID text) → Guids.</summary>
    public static List<Guid> Parse(IEnumerable<string> ids) => ids.Select(id => Guid.Parse(id, CultureInfo.InvariantCulture)).ToList();
}
