using AnalyticsHub.Core.Rollups;
using AnalyticsHub.Storage.Stores.Embedded.Internal;
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
internal sealed class RollupWriter : SqliteTransactionWriter
{
    private readonly sqlite3_stmt _upsertMain;
    private readonly sqlite3_stmt _insertLate;
    private readonly sqlite3_stmt _checkpoint;

    public RollupWriter(sqlite3 db)
        : base(db, persistent: false)
    {
        _upsertMain = Prepare(EmbeddedRollupSchema.UpsertMain);
        _insertLate = Prepare(EmbeddedRollupSchema.InsertLatePart);
        _checkpoint = Prepare(EmbeddedRollupSchema.UpsertCheckpoint);
    }

    /// <summary>Writes <paramref name="rows"/> as <paramref name="node"/>'s and sets its checkpoint, all or nothing.</summary>
    /// <exception cref="SqliteException">Nothing was written.</exception>
    public void Write(string node, IReadOnlyList<RollupRow> rows, long checkpoint, long nowUnixNano)
    {
        Begin();
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
            Commit();
        }
        catch
        {
            RollBack();
            throw;
        }
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
}
