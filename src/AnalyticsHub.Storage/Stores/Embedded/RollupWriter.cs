using System.Runtime.CompilerServices;
using AnalyticsHub.Core.Rollups;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace AnalyticsHub.Storage.Stores.Embedded;

/// <summary>
/// Writes one rollup flush — main rows upserted, late parts inserted once, the node's checkpoint —
/// in one IMMEDIATE transaction on the writer connection's handle, through SQLitePCLRaw as
/// <see cref="EventWriter"/> does: each statement prepared once per flush and stepped once per row,
/// values bound unboxed (text as UTF-16 spans SQLite converts, the sketch as a blob span).
/// </summary>
/// <remarks>
/// Made for one flush and disposed after it (statements are finalised before the writer
/// connection can close; preparing five statements costs microseconds, a flush thousands of rows).
/// Errors come back as <see cref="SqliteException"/>, after a rollback. Not thread-safe: the writer
/// thread owns it.
/// </remarks>
internal sealed class RollupWriter : IDisposable
{
    private const int SqliteOk = 0;
    private const int SqliteDone = 101;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _upsertMain;
    private readonly sqlite3_stmt _insertLate;
    private readonly sqlite3_stmt _checkpoint;
    private readonly sqlite3_stmt _begin;
    private readonly sqlite3_stmt _commit;
    private readonly sqlite3_stmt _rollback;

    public RollupWriter(sqlite3 db)
    {
        _db = db;
        var prepared = new List<sqlite3_stmt>(6);
        try
        {
            _upsertMain = Prepare(EmbeddedRollupSchema.UpsertMain, prepared);
            _insertLate = Prepare(EmbeddedRollupSchema.InsertLatePart, prepared);
            _checkpoint = Prepare(EmbeddedRollupSchema.UpsertCheckpoint, prepared);
            // IMMEDIATE: take the write lock at BEGIN, so a lock conflict fails before any row is bound.
            _begin = Prepare("BEGIN IMMEDIATE", prepared);
            _commit = Prepare("COMMIT", prepared);
            _rollback = Prepare("ROLLBACK", prepared);
        }
        catch
        {
            prepared.ForEach(s => s.Dispose());
            throw;
        }
    }

    /// <summary>Writes <paramref name="rows"/> as <paramref name="node"/>'s and sets its checkpoint, all or nothing.</summary>
    /// <exception cref="SqliteException">Nothing was written.</exception>
    public void Write(string node, IReadOnlyList<RollupRow> rows, long checkpoint, long nowUnixNano)
    {
        Step(_begin);
        try
        {
            for (int i = 0; i < rows.Count; i++)
            {
                RollupRow row = rows[i];
                sqlite3_stmt statement = row.Part == 0 ? _upsertMain : _insertLate;
                BindRow(statement, node, row);
                Step(statement);
            }

            BindText(_checkpoint, 1, node);
            Check(raw.sqlite3_bind_int64(_checkpoint, 2, checkpoint));
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
        _upsertMain.Dispose();
        _insertLate.Dispose();
        _checkpoint.Dispose();
        _begin.Dispose();
        _commit.Dispose();
        _rollback.Dispose();
    }

    // Parameter numbers follow EmbeddedRollupSchema.Columns.
    private static void BindRow(sqlite3_stmt statement, string node, RollupRow row)
    {
        BucketStats stats = row.Stats;
        BindText(statement, 1, node);
        BindText(statement, 2, row.TenantId);
        BindText(statement, 3, row.Metric);
        BindText(statement, 4, row.SeriesKey);
        Check(raw.sqlite3_bind_int(statement, 5, (int)row.SourceModule));
        Check(raw.sqlite3_bind_int(statement, 6, (int)row.EventType));
        Check(raw.sqlite3_bind_int(statement, 7, row.ResolutionSeconds));
        Check(raw.sqlite3_bind_int64(statement, 8, row.Bucket));
        Check(raw.sqlite3_bind_int64(statement, 9, row.Part));
        Check(raw.sqlite3_bind_int64(statement, 10, unchecked((long)stats.Count)));
        Check(raw.sqlite3_bind_double(statement, 11, stats.Sum));
        Check(raw.sqlite3_bind_double(statement, 12, stats.SumOfSquares));
        Check(raw.sqlite3_bind_double(statement, 13, stats.Min));
        Check(raw.sqlite3_bind_double(statement, 14, stats.Max));
        Check(raw.sqlite3_bind_double(statement, 15, row.Tokens));
        Check(raw.sqlite3_bind_int64(statement, 16, unchecked((long)row.Errors)));
        Check(raw.sqlite3_bind_blob(statement, 17, row.Sketch));
        Check(raw.sqlite3_bind_int64(statement, 18, row.Version));
    }

    // UTF-16 straight from the string (SQLite converts it to the file's UTF-8). An empty span would
    // pin as a null pointer, which SQLite binds as NULL: "" goes through the NUL-terminated overload.
    private static void BindText(sqlite3_stmt statement, int index, string value) =>
        Check(value.Length == 0 ? raw.sqlite3_bind_text(statement, index, "") : raw.sqlite3_bind_text16(statement, index, value.AsSpan()));

    // A failed COMMIT may already have rolled back on its own; only roll back a transaction that is still open.
    private void RollBack()
    {
        if (raw.sqlite3_get_autocommit(_db) == 0)
        {
            raw.sqlite3_step(_rollback);
            raw.sqlite3_reset(_rollback);
        }
    }

    private sqlite3_stmt Prepare(string sql, List<sqlite3_stmt> prepared)
    {
        int rc = raw.sqlite3_prepare_v3(_db, sql, 0, out sqlite3_stmt stmt);
        if (rc != SqliteOk)
        {
            stmt?.Dispose();
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        prepared.Add(stmt ?? throw new InvalidOperationException("SQLite prepared no statement for: " + sql));
        return stmt;
    }

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
