using System.Buffers.Binary;
using AnalyticsHub.Core.Storage;
using AnalyticsHub.Storage.Stores.Embedded.Internal;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace AnalyticsHub.Storage.Stores.Embedded;

/// <summary>
/// Writes rows and the drain checkpoint in one transaction with statements prepared once on the
/// writer connection's handle (<see cref="SqliteConnection.Handle"/>), through SQLitePCLRaw, the
/// layer Microsoft.Data.Sqlite itself calls.
/// </summary>
/// <remarks>
/// Why not <see cref="SqliteCommand"/> parameters: they bind <c>byte[]</c> only as BLOB (and
/// refuse <c>ReadOnlyMemory&lt;byte&gt;</c>), so every text value would need a .NET string, and
/// every integer and double is boxed into <see cref="SqliteParameter.Value"/> — 23 objects per row.
/// <c>sqlite3_bind_text</c> takes the arena's UTF-8 span directly (SQLite copies it), integers
/// bind unboxed: no allocation per row. Measured on 1M sample rows (README): the command path,
/// with interned strings for the low-cardinality columns, allocated ~3 KB per row and reached
/// ~55–60% of this path's rate with single-row statements — and ~10% with 64-row ones, because it
/// looks every parameter up by name (<c>sqlite3_bind_parameter_index</c>, a linear search).
/// Rows go one prepared single-row INSERT each (<see cref="EmbeddedSchema.DefaultRowsPerStatement"/>);
/// multi-row statements remain for the measurements.
/// Transactions, statements and errors: <see cref="SqliteTransactionWriter"/>.
/// </remarks>
internal sealed class EventWriter : SqliteTransactionWriter
{
    private readonly int _rowsPerStatement;
    private readonly sqlite3_stmt _insertMany;
    private readonly sqlite3_stmt _insertOne;
    private readonly sqlite3_stmt _checkpoint;

    public EventWriter(sqlite3 db, int rowsPerStatement)
        : base(db, persistent: true)
    {
        _rowsPerStatement = rowsPerStatement;
        _insertMany = Prepare(EmbeddedSchema.InsertSql(rowsPerStatement));
        _insertOne = rowsPerStatement == 1 ? _insertMany : Prepare(EmbeddedSchema.InsertSql(1));
        _checkpoint = Prepare(EmbeddedSchema.UpsertCheckpoint);
    }

    /// <summary>Stores rows [start, start + count) of <paramref name="batch"/> and sets the
    /// checkpoint to <paramref name="storedBefore"/>, all or nothing.</summary>
    /// <exception cref="SqliteException">Nothing was stored.</exception>
    public void Write(StoredEventBatch batch, int start, int count, StorePosition storedBefore, long nowUnixNano)
    {
        Span<byte> id = stackalloc byte[16];
        Begin();
        try
        {
            ReadOnlySpan<StoredEvent> rows = batch.Rows.Slice(start, count);
            int full = rows.Length - rows.Length % _rowsPerStatement;
            for (int offset = 0; offset < full; offset += _rowsPerStatement)
            {
                for (int r = 0; r < _rowsPerStatement; r++)
                {
                    BindRow(_insertMany, r * EmbeddedSchema.Columns, batch, in rows[offset + r], id);
                }
                Step(_insertMany);
            }
            for (int i = full; i < rows.Length; i++)
            {
                BindRow(_insertOne, 0, batch, in rows[i], id);
                Step(_insertOne);
            }

            Check(raw.sqlite3_bind_int64(_checkpoint, 1, storedBefore.Address));
            Check(raw.sqlite3_bind_int64(_checkpoint, 2, storedBefore.Index));
            Check(raw.sqlite3_bind_int64(_checkpoint, 3, nowUnixNano));
            Step(_checkpoint);
            Commit();
        }
        catch
        {
            RollBack();
            throw;
        }
    }

    // Parameter numbers are 1-based: column c of row r is ?(r * Columns + c + 1).
    private static void BindRow(sqlite3_stmt stmt, int before, StoredEventBatch batch, in StoredEvent row, Span<byte> id)
    {
        BinaryPrimitives.WriteUInt64BigEndian(id, row.IdHigh);
        BinaryPrimitives.WriteUInt64BigEndian(id[8..], row.IdLow);

        Check(raw.sqlite3_bind_text(stmt, before + 1, batch.Text(row.TenantId)));
        Check(raw.sqlite3_bind_int64(stmt, before + 2, row.TimeUnixNano));
        Check(raw.sqlite3_bind_int64(stmt, before + 3, row.ReceivedUnixNano));
        Check(raw.sqlite3_bind_blob(stmt, before + 4, id));
        Check(raw.sqlite3_bind_int(stmt, before + 5, (int)row.SourceModule));
        Check(raw.sqlite3_bind_int(stmt, before + 6, (int)row.EventType));
        Check(raw.sqlite3_bind_int(stmt, before + 7, (int)row.Severity));
        Check(raw.sqlite3_bind_int(stmt, before + 8, (int)row.PayloadKind));
        Check(raw.sqlite3_bind_int(stmt, before + 9, (int)row.ValueDimension));
        Check(raw.sqlite3_bind_text(stmt, before + 10, batch.Text(row.Name)));
        Check(raw.sqlite3_bind_double(stmt, before + 11, row.Value));
        Check(raw.sqlite3_bind_text(stmt, before + 12, batch.Text(row.Unit)));
        Check(raw.sqlite3_bind_int64(stmt, before + 13, unchecked((long)row.InputTokens)));
        Check(raw.sqlite3_bind_int64(stmt, before + 14, unchecked((long)row.OutputTokens)));
        Check(raw.sqlite3_bind_text(stmt, before + 15, batch.Text(row.SchemaVersion)));
        Check(raw.sqlite3_bind_text(stmt, before + 16, batch.Text(row.Environment)));
        Check(raw.sqlite3_bind_text(stmt, before + 17, batch.Text(row.AssetId)));
        Check(raw.sqlite3_bind_text(stmt, before + 18, batch.Text(row.CorrelationId)));
        Check(raw.sqlite3_bind_text(stmt, before + 19, batch.Text(row.ParentEventId)));
        Check(raw.sqlite3_bind_int64(stmt, before + 20, row.WalAddress));
        Check(raw.sqlite3_bind_int(stmt, before + 21, row.WalIndex));
        Check(raw.sqlite3_bind_text(stmt, before + 22, batch.Text(row.TagsJson)));
        Check(raw.sqlite3_bind_text(stmt, before + 23, batch.Text(row.PayloadJson)));
    }
}
