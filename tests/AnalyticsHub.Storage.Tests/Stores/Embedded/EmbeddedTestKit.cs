using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text;
using AnalyticsHub.Core.Storage;
using AnalyticsHub.Storage.Stores;
using AnalyticsHub.Storage.Stores.Embedded;
using Microsoft.Data.Sqlite;

namespace AnalyticsHub.Storage.Tests.Stores.Embedded;

/// <summary>Opening stores in a test directory and reading their rows back with plain SQL (what the query layer will do).</summary>
internal static class EmbeddedTestKit
{
    public static EmbeddedStoreOptions Options(string directory) => new() { DatabasePath = Path.Combine(directory, "store", "events.db") };

    public static async Task<EmbeddedEventStore> OpenAsync(EmbeddedStoreOptions options)
    {
        var store = new EmbeddedEventStore(options);
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

    /// <summary>Writes the whole batch with its end as the checkpoint.</summary>
    public static Task WriteAllAsync(IEventStore store, StoredEventBatch batch) =>
        store.WriteAsync(batch, 0, batch.Count, new StorePosition(batch.NextAddress, 0), CancellationToken.None);

    /// <summary>A connection of the test's own (not pooled: a test's Dispose must be able to delete the file).</summary>
    public static SqliteConnection Connect(string databasePath, SqliteOpenMode mode = SqliteOpenMode.ReadWrite)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public static object? Scalar(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static long Count(string databasePath, string where = "1")
    {
        using SqliteConnection connection = Connect(databasePath, SqliteOpenMode.ReadOnly);
        return (long)Scalar(connection, "SELECT count(*) FROM events WHERE " + where)!;
    }

    /// <summary>Every column of every stored row, in insert (rowid) order.</summary>
    public static List<StoredRow> ReadAll(string databasePath)
    {
        using SqliteConnection connection = Connect(databasePath, SqliteOpenMode.ReadOnly);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT " + EmbeddedSchema.InsertColumns + ", typeof(event_id), typeof(name), typeof(tags) FROM events ORDER BY rowid";
        using SqliteDataReader r = command.ExecuteReader();
        var rows = new List<StoredRow>();
        while (r.Read())
        {
            rows.Add(new StoredRow(
                TenantId: r.GetString(0),
                TimeNs: r.GetInt64(1),
                ReceivedNs: r.GetInt64(2),
                EventId: r.GetFieldValue<byte[]>(3),
                SourceModule: r.GetInt32(4),
                EventType: r.GetInt32(5),
                Severity: r.GetInt32(6),
                PayloadKind: r.GetInt32(7),
                ValueDimension: r.GetInt32(8),
                Name: r.GetString(9),
                Value: r.IsDBNull(10) ? null : r.GetDouble(10),
                Unit: r.GetString(11),
                InputTokens: unchecked((ulong)r.GetInt64(12)),
                OutputTokens: unchecked((ulong)r.GetInt64(13)),
                SchemaVersion: r.GetString(14),
                Environment: r.GetString(15),
                AssetId: r.GetString(16),
                CorrelationId: r.GetString(17),
                ParentEventId: r.GetString(18),
                WalAddress: r.GetInt64(19),
                WalIndex: r.GetInt32(20),
                Tags: r.GetString(21),
                Payload: r.GetString(22),
                StorageTypes: $"{r.GetString(23)},{r.GetString(24)},{r.GetString(25)}"));
        }
        return rows;
    }

    /// <summary>Asserts one stored row equals one batch row, column by column (the message names the column).</summary>
    public static void AssertStored(StoredEventBatch batch, in StoredEvent expected, StoredRow actual)
    {
        string Text(Core.Events.ArenaSlice slice) => Encoding.UTF8.GetString(batch.Text(slice));
        string at = $"row ({expected.WalAddress}, {expected.WalIndex})";

        Assert.Equal("blob,text,text", actual.StorageTypes);
        Assert.True(Text(expected.TenantId) == actual.TenantId, $"{at} tenant_id");
        Assert.True(expected.TimeUnixNano == actual.TimeNs, $"{at} time_ns {expected.TimeUnixNano} != {actual.TimeNs}");
        Assert.True(expected.ReceivedUnixNano == actual.ReceivedNs, $"{at} received_ns");
        Assert.Equal(16, actual.EventId.Length);
        Assert.True(expected.IdHigh == System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(actual.EventId), $"{at} event_id high");
        Assert.True(expected.IdLow == System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(actual.EventId.AsSpan(8)), $"{at} event_id low");
        // The bytes are the RFC 4122 order: formatted big-endian they are the id's text.
        Assert.Equal(Text(expected.EventId).ToLowerInvariant(), new Guid(actual.EventId, bigEndian: true).ToString());
        Assert.True((int)expected.SourceModule == actual.SourceModule, $"{at} source_module");
        Assert.True((int)expected.EventType == actual.EventType, $"{at} event_type");
        Assert.True((int)expected.Severity == actual.Severity, $"{at} severity");
        Assert.True((int)expected.PayloadKind == actual.PayloadKind, $"{at} payload_kind");
        Assert.True((int)expected.ValueDimension == actual.ValueDimension, $"{at} value_dimension");
        Assert.True(Text(expected.Name) == actual.Name, $"{at} name");
        if (double.IsNaN(expected.Value))
        {
            Assert.Null(actual.Value);
        }
        else
        {
            Assert.True(BitConverter.DoubleToInt64Bits(expected.Value) == BitConverter.DoubleToInt64Bits(actual.Value!.Value), $"{at} value {expected.Value} != {actual.Value}");
        }
        Assert.True(Text(expected.Unit) == actual.Unit, $"{at} unit");
        Assert.True(expected.InputTokens == actual.InputTokens, $"{at} input_tokens");
        Assert.True(expected.OutputTokens == actual.OutputTokens, $"{at} output_tokens");
        Assert.True(Text(expected.SchemaVersion) == actual.SchemaVersion, $"{at} schema_version");
        Assert.True(Text(expected.Environment) == actual.Environment, $"{at} environment");
        Assert.True(Text(expected.AssetId) == actual.AssetId, $"{at} asset_id");
        Assert.True(Text(expected.CorrelationId) == actual.CorrelationId, $"{at} correlation_id");
        Assert.True(Text(expected.ParentEventId) == actual.ParentEventId, $"{at} parent_event_id");
        Assert.True(expected.WalAddress == actual.WalAddress, $"{at} wal_address");
        Assert.True(expected.WalIndex == actual.WalIndex, $"{at} wal_index");
        Assert.Equal(Text(expected.TagsJson), actual.Tags);
        Assert.Equal(Text(expected.PayloadJson), actual.Payload);
    }

    /// <summary>
    /// Makes <paramref name="path"/> unwritable even for root: mode 0500/0400 first, and when this
    /// user can still write (root ignores modes), the immutable attribute (<c>chattr +i</c>, which
    /// binds root too on ext4/xfs/btrfs). Returns false when neither works here.
    /// </summary>
    [UnsupportedOSPlatform("windows")]
    public static bool TryMakeReadOnly(string path, bool isDirectory)
    {
        File.SetUnixFileMode(path, isDirectory ? UnixFileMode.UserRead | UnixFileMode.UserExecute : UnixFileMode.UserRead);
        if (!CanWrite(path, isDirectory))
        {
            return true;
        }
        return Chattr("+i", path) && !CanWrite(path, isDirectory);
    }

    [UnsupportedOSPlatform("windows")]
    public static void MakeWritable(string path, bool isDirectory)
    {
        Chattr("-i", path);
        File.SetUnixFileMode(path, isDirectory
            ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            : UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static bool CanWrite(string path, bool isDirectory)
    {
        try
        {
            if (isDirectory)
            {
                string probe = Path.Combine(path, ".probe");
                File.WriteAllText(probe, "x");
                File.Delete(probe);
            }
            else
            {
                using FileStream stream = File.OpenWrite(path);
            }
            return true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }

    private static bool Chattr(string flag, string path)
    {
        try
        {
            using Process? chattr = Process.Start(new ProcessStartInfo("chattr", [flag, path]) { RedirectStandardError = true });
            if (chattr is null)
            {
                return false;
            }
            chattr.WaitForExit(10_000);
            return chattr.HasExited && chattr.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no chattr here
        }
    }
}

/// <summary>One row as read back from <c>events</c>; <see cref="StorageTypes"/> is SQLite's <c>typeof</c> of event_id, name and tags.</summary>
internal sealed record StoredRow(
    string TenantId,
    long TimeNs,
    long ReceivedNs,
    byte[] EventId,
    int SourceModule,
    int EventType,
    int Severity,
    int PayloadKind,
    int ValueDimension,
    string Name,
    double? Value,
    string Unit,
    ulong InputTokens,
    ulong OutputTokens,
    string SchemaVersion,
    string Environment,
    string AssetId,
    string CorrelationId,
    string ParentEventId,
    long WalAddress,
    int WalIndex,
    string Tags,
    string Payload,
    string StorageTypes);
