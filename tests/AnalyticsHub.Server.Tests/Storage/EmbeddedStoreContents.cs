using Microsoft.Data.Sqlite;

namespace AnalyticsHub.Server.Tests.Storage;

/// <summary>
/// Reads the embedded store's events (<c>{DataDir}/store/events.db</c>) independently of the
/// store code: event id (16 RFC 4122 bytes) → how many rows hold it. Safe while the hub writes
/// (SQLite WAL mode lets a reader in).
/// </summary>
internal static class EmbeddedStoreContents
{
    public static string DatabasePath(string dataDir) => Path.Combine(dataDir, "store", "events.db");

    public static Dictionary<string, int> Read(string dataDir)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        string path = DatabasePath(dataDir);
        if (!File.Exists(path))
        {
            return counts;
        }

        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT event_id FROM events";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var id = UuidText((byte[])reader[0]);
            counts[id] = counts.GetValueOrDefault(id) + 1;
        }

        return counts;
    }

    /// <summary>Rows in <c>events</c> (0 before the hub created the database or the table).</summary>
    public static long CountRows(string dataDir)
    {
        string path = DatabasePath(dataDir);
        if (!File.Exists(path))
        {
            return 0;
        }

        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM events";
        try
        {
            return (long)command.ExecuteScalar()!;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 1 && e.Message.Contains("no such table", StringComparison.Ordinal))
        {
            return 0;
        }
    }

    /// <summary>
    /// Waits until the hub reports nothing left to drain (<c>/readyz</c> backlog 0: no write can still
    /// be coming) and the store holds at least <paramref name="expectedRows"/> rows. Returns the row count.
    /// </summary>
    public static async Task<long> WaitUntilDrainedAsync(HubProcess hub, long expectedRows, TimeSpan timeout, Func<string> describe)
    {
        HubReadiness readiness = null!;
        long rows = 0;
        await Ingestion.Poll.UntilAsync(async () =>
        {
            await Task.Delay(100);
            readiness = await HubReadiness.GetAsync(hub);
            rows = CountRows(hub.DataDir);
            return readiness.BacklogBytes == 0 && rows >= expectedRows;
        }, timeout, () => $"the store reached {rows:N0} of {expectedRows:N0} events: {readiness}\n{describe()}");
        return rows;
    }

    /// <summary>
    /// Fails naming expected ids missing or repeated, any id stored more than once, and (when
    /// <paramref name="complete"/>: the expected ids are everything that may be stored) ids nobody expected.
    /// </summary>
    public static void AssertEachOnce(Dictionary<string, int> stored, IReadOnlyCollection<string> expected, string what, bool complete = false) =>
        StoredIds.AssertEachOnce(stored, expected, what, "the embedded store", complete);

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static string UuidText(byte[] bytes) =>
        bytes.Length == 16 ? new Guid(bytes, bigEndian: true).ToString() : System.Text.Encoding.UTF8.GetString(bytes);
}
