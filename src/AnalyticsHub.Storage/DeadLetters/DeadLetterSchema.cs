using System.Text;
using AnalyticsHub.Core.Events;
using Microsoft.Data.Sqlite;

namespace AnalyticsHub.Storage.DeadLetters;

/// <summary>The SQLite schema of the dead-letter store and the mapping of its rows.</summary>
internal static class DeadLetterSchema
{
    public const long Version = 1;

    /// <summary>Per-row estimate of what a letter costs beyond its event bytes and text:
    /// integer columns, record and page headers, the entries of the seven indexes and the
    /// slack of part-filled B-tree pages. Measured: 200k letters of 200 event bytes took
    /// ~500 B/row on disk, ~535 B/row accounted with this figure.</summary>
    public const int RowOverheadBytes = 256;

    // AUTOINCREMENT: ids are never reused after eviction, so a cursor or a replay request
    // that names an evicted id can never land on a newer letter.
    // received_at / replayed_at: Unix time in 100 ns ticks (DateTimeOffset precision), UTC.
    // sequence: the producer's uint64 stored bit-for-bit in SQLite's int64.
    // size: the row's accounted bytes, so eviction subtracts exactly what was added.
    // event last: reading the small columns (eviction scan, filters) never walks a large
    // event's overflow pages.
    // Single-column indexes suffice for "filter, then ORDER BY id": SQLite appends the rowid
    // to every index entry, so `code = ? AND id > ? ORDER BY id` is one index range scan.
    public const string Create = """
        CREATE TABLE IF NOT EXISTS dead_letters (
            id             INTEGER PRIMARY KEY AUTOINCREMENT,
            received_at    INTEGER NOT NULL,
            tenant_id      TEXT    NOT NULL,
            source_module  INTEGER NOT NULL,
            event_id       TEXT    NOT NULL,
            code           TEXT    NOT NULL,
            message        TEXT    NOT NULL,
            producer_id    TEXT    NOT NULL,
            sequence       INTEGER NOT NULL,
            idx            INTEGER NOT NULL,
            wal_address    INTEGER NOT NULL,
            size           INTEGER NOT NULL,
            replayed_at    INTEGER NULL,
            replay_outcome TEXT    NULL,
            event          BLOB    NOT NULL
        );
        CREATE UNIQUE INDEX IF NOT EXISTS ux_dead_letters_wal ON dead_letters (wal_address, idx);
        CREATE INDEX IF NOT EXISTS ix_dead_letters_tenant ON dead_letters (tenant_id);
        CREATE INDEX IF NOT EXISTS ix_dead_letters_code ON dead_letters (code);
        CREATE INDEX IF NOT EXISTS ix_dead_letters_source ON dead_letters (source_module);
        CREATE INDEX IF NOT EXISTS ix_dead_letters_event_id ON dead_letters (event_id);
        CREATE INDEX IF NOT EXISTS ix_dead_letters_producer ON dead_letters (producer_id);
        CREATE INDEX IF NOT EXISTS ix_dead_letters_received_at ON dead_letters (received_at);
        CREATE TABLE IF NOT EXISTS meta (
            key   TEXT PRIMARY KEY,
            value INTEGER NOT NULL
        ) WITHOUT ROWID;
        INSERT OR IGNORE INTO meta (key, value) VALUES
            ('schema_version', 1), ('entry_count', 0), ('total_bytes', 0), ('evicted', 0);
        """;

    public const string Insert = """
        INSERT OR IGNORE INTO dead_letters
            (received_at, tenant_id, source_module, event_id, code, message, producer_id, sequence, idx, event, wal_address, size)
        VALUES
            ($received_at, $tenant_id, $source_module, $event_id, $code, $message, $producer_id, $sequence, $idx, $event, $wal_address, $size)
        """;

    /// <summary>Columns read by <see cref="ReadView"/>, in ordinal order.</summary>
    public const string SelectColumns =
        "SELECT id, received_at, tenant_id, source_module, event_id, code, message, producer_id, sequence, idx, event, wal_address, replayed_at, replay_outcome FROM dead_letters";

    public static long Size(DeadLetter letter) =>
        letter.Event.Length
        + Encoding.UTF8.GetByteCount(letter.TenantId)
        + Encoding.UTF8.GetByteCount(letter.EventId)
        + Encoding.UTF8.GetByteCount(letter.Code)
        + Encoding.UTF8.GetByteCount(letter.Message)
        + Encoding.UTF8.GetByteCount(letter.ProducerId)
        + RowOverheadBytes;

    public static long ToTicks(DateTimeOffset at) => at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;

    public static DateTimeOffset FromTicks(long ticks) => new(ticks + DateTimeOffset.UnixEpoch.UtcTicks, TimeSpan.Zero);

    public static DeadLetterView ReadView(SqliteDataReader row)
    {
        var letter = new DeadLetter(
            Id: row.GetInt64(0),
            ReceivedAt: FromTicks(row.GetInt64(1)),
            TenantId: row.GetString(2),
            SourceModule: (SourceModule)row.GetInt32(3),
            EventId: row.GetString(4),
            Code: row.GetString(5),
            Message: row.GetString(6),
            ProducerId: row.GetString(7),
            Sequence: unchecked((ulong)row.GetInt64(8)),
            Index: row.GetInt32(9),
            Event: row.GetFieldValue<byte[]>(10),
            WalAddress: row.GetInt64(11));
        return new DeadLetterView(
            letter,
            row.IsDBNull(12) ? null : FromTicks(row.GetInt64(12)),
            row.IsDBNull(13) ? null : row.GetString(13));
    }
}
