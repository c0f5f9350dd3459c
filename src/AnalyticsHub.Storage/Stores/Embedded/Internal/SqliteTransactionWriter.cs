using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace AnalyticsHub.Storage.Stores.Embedded.Internal;

/// <summary>
/// What the embedded store's writers (<see cref="EventWriter"/>, <see cref="RollupWriter"/>) share:
/// statements prepared on the writer connection's handle (<see cref="SqliteConnection.Handle"/>)
/// through SQLitePCLRaw, the layer Microsoft.Data.Sqlite itself calls, and stepped inside one
/// IMMEDIATE transaction. Errors come back as <see cref="SqliteException"/>
/// (<see cref="SqliteException.ThrowExceptionForRC"/>), the same type the rest of the store maps.
/// </summary>
/// <remarks>
/// Disposing finalises every statement prepared here; it must happen before the connection closes (an
/// open statement would keep the handle alive). Not thread-safe: the writer thread owns it.
/// </remarks>
internal abstract class SqliteTransactionWriter : IDisposable
{
    private const int SqliteOk = 0;
    private const int SqliteDone = 101;

    private readonly sqlite3 _db;
    private readonly uint _prepareFlags;
    private readonly List<sqlite3_stmt> _prepared = new(8);
    private readonly sqlite3_stmt _begin;
    private readonly sqlite3_stmt _commit;
    private readonly sqlite3_stmt _rollback;

    /// <param name="db">The writer connection's handle.</param>
    /// <param name="persistent">The statements are kept for the connection's life (<c>SQLITE_PREPARE_PERSISTENT</c>), not made for one use.</param>
    protected SqliteTransactionWriter(sqlite3 db, bool persistent)
    {
        _db = db;
        _prepareFlags = persistent ? raw.SQLITE_PREPARE_PERSISTENT : 0u;
        // IMMEDIATE: take the write lock at BEGIN, so a lock conflict fails before any row is bound.
        _begin = Prepare("BEGIN IMMEDIATE");
        _commit = Prepare("COMMIT");
        _rollback = Prepare("ROLLBACK");
    }

    public void Dispose()
    {
        foreach (var statement in _prepared)
        {
            statement.Dispose();
        }

        _prepared.Clear();
    }

    /// <summary>
    /// A statement, finalised by <see cref="Dispose"/>. When one cannot be prepared, the ones prepared
    /// so far are finalised before the error is thrown (a writer is made whole or not at all).
    /// </summary>
    protected sqlite3_stmt Prepare(string sql)
    {
        try
        {
            int rc = raw.sqlite3_prepare_v3(_db, sql, _prepareFlags, out sqlite3_stmt stmt);
            if (rc != SqliteOk)
            {
                stmt?.Dispose();
                SqliteException.ThrowExceptionForRC(rc, _db);
            }

            _prepared.Add(stmt ?? throw new InvalidOperationException("SQLite prepared no statement for: " + sql));
            return stmt;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    protected void Begin() => Step(_begin);

    protected void Commit() => Step(_commit);

    // A failed COMMIT (disk full, I/O error) may already have rolled back on its own; only roll
    // back a transaction that is still open, and keep the original error if that fails too.
    protected void RollBack()
    {
        if (raw.sqlite3_get_autocommit(_db) == 0)
        {
            raw.sqlite3_step(_rollback);
            raw.sqlite3_reset(_rollback);
        }
    }

    // Runs a statement that returns no rows and makes it reusable; a failing step's error is
    // read from the connection before the reset.
    protected void Step(sqlite3_stmt stmt)
    {
        int rc = raw.sqlite3_step(stmt);
        if (rc != SqliteDone)
        {
            Fail(rc, stmt);
        }

        raw.sqlite3_reset(stmt);
    }

    // Binding fails only for a value over SQLite's length limit (SQLITE_TOOBIG) or out of memory.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static void Check(int rc)
    {
        if (rc != SqliteOk)
        {
            ThrowBind(rc);
        }
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

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBind(int rc) =>
        throw new SqliteException($"SQLite could not bind a value: {raw.sqlite3_errstr(rc).utf8_to_string()}", rc, rc);
}
