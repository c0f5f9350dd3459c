using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using AnalyticsHub.Core.Storage;
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
/// Errors come back as <see cref="SqliteException"/> (<see cref="SqliteException.ThrowExceptionForRC"/>),
/// the same type the rest of the store maps. Not thread-safe: the writer thread owns it.
/// </remarks>
internal sealed class EventWriter : IDisposable
{
    private const int SqliteOk = 0;
    private const int SqliteDone = 101;

    private readonly sqlite3 _db;
    private readonly int _rowsPerStatement;
    private readonly sqlite3_stmt _insertMany;
    private readonly sqlite3_stmt _insertOne;
    private readonly sqlite3_stmt _checkpoint;
    private readonly sqlite3_stmt _begin;
    private readonly sqlite3_stmt _commit;
    private readonly sqlite3_stmt _rollback;

    public EventWriter(sqlite3 db, int rowsPerStatement)
    {
        _db = db;
        _rowsPerStatement = rowsPerStatement;
        _insertMany = Prepare(EmbeddedSchema.InsertSql(rowsPerStatement));
        _insertOne = rowsPerStatement == 1 ? _insertMany : Prepare(EmbeddedSchema.InsertSql(1));
        _checkpoint = Prepare(EmbeddedSchema.UpsertCheckpoint);
        // IMMEDIATE: take the write lock at BEGIN, so a lock conflict fails before any row is bound.
        _begin = Prepare("BEGIN IMMEDIATE");
        _commit = Prepare("COMMIT");
        _rollback = Prepare("ROLLBACK");
    }

    /// <summary>Stores rows [start, start + count) of <paramref name="batch"/> and sets the
    /// checkpoint to <paramref name="storedBefore"/>, all or nothing.</summary>
    /// <exception cref="SqliteException">Nothing was stored.</exception>
    public void Write(StoredEventBatch batch, int start, int count, StorePosition storedBefore, long nowUnixNano)
    {
        Span<byte> id = stackalloc byte[16];
        Step(_begin);
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
            Step(_commit);
        }
        catch
        {
            RollBack();
            throw;
        }
    }

    public void Dispose()
    {
        // Finalised before the connection closes: an open statement would keep the handle alive.
        _insertMany.Dispose();
        _insertOne.Dispose();
        _checkpoint.Dispose();
        _begin.Dispose();
        _commit.Dispose();
        _rollback.Dispose();
    }

    // A failed COMMIT (disk full, I/O error) may already have rolled back on its own; only roll
    // back a transaction that is still open, and keep the original error if that fails too.
    private void RollBack()
    {
        if (raw.sqlite3_get_autocommit(_db) == 0)
        {
            raw.sqlite3_step(_rollback);
            raw.sqlite3_reset(_rollback);
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

    private sqlite3_stmt Prepare(string sql)
    {
        int rc = raw.sqlite3_prepare_v3(_db, sql, raw.SQLITE_PREPARE_PERSISTENT, out sqlite3_stmt stmt);
        if (rc != SqliteOk)
        {
            stmt?.Dispose();
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
        return stmt ?? throw new InvalidOperationException("SQLite prepared no statement for: " + sql);
    }

    // Runs a statement that returns no rows and makes it reusable; a failing step's error is
    // read from the connection before the reset.
    private void Step(sqlite3_stmt stmt)
    {
        int rc = raw.sqlite3_step(stmt);
        if (rc != SqliteDone)
        {
            Fail(rc, stmt);
        }
        raw.sqlite3_reset(stmt);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Fail(int rc, sqlite3_stmt stmt)
    {
        try
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
            SqliteException.ThrowExceptionForRC(raw.SQLITE_ERROR, _db); // a row from a statement that returns none
        }
        finally
        {
            raw.sqlite3_reset(stmt);
        }
    }

    // Binding fails only for a value over SQLite's length limit (SQLITE_TOOBIG) or out of memory.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Check(int rc)
    {
        if (rc != SqliteOk)
        {
            ThrowBind(rc);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBind(int rc) =>
        throw new SqliteException($"SQLite could not bind a value: {raw.sqlite3_errstr(rc).utf8_to_string()}", rc, rc);
}
