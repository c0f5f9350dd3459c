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

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
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

    /// <summary>Fails naming expected ids missing or repeated, and any id stored more than once.</summary>
    public static void AssertEachOnce(Dictionary<string, int> stored, IReadOnlyCollection<string> expected, string what)
    {
        var missing = expected.Where(id => stored.GetValueOrDefault(id) == 0).Take(10).ToList();
        var repeated = stored.Where(e => e.Value > 1).Select(e => $"{e.Key}×{e.Value}").Take(10).ToList();
        Assert.True(missing.Count == 0 && repeated.Count == 0,
            $"{what}: {expected.Count:N0} expected, {stored.Count:N0} distinct in the store; missing (first 10): [{string.Join(", ", missing)}]; repeated: [{string.Join(", ", repeated)}]");
    }

    private static string UuidText(byte[] bytes) =>
        bytes.Length == 16 ? new Guid(bytes, bigEndian: true).ToString() : System.Text.Encoding.UTF8.GetString(bytes);
}
