using Microsoft.Data.Sqlite;

namespace AnalyticsHub.Storage.Stores.Embedded;

/// <summary>Retention: deleting old events in short transactions.</summary>
public sealed partial class EmbeddedEventStore
{
    /// <summary>
    /// Deletes events whose event time is before <paramref name="cutoff"/>, tenant by tenant, in
    /// transactions of at most <see cref="EmbeddedStoreOptions.RetentionChunkRows"/> rows, each
    /// queued on the writer thread like a write (a write waits for one chunk at most). Returns
    /// the rows deleted. Cancelling stops between chunks; chunks already committed stay deleted.
    /// </summary>
    /// <remarks>
    /// Uses only <c>ix_events_tenant_time</c>: the next tenant is one index seek
    /// (<c>tenant_id &gt; previous ORDER BY tenant_id LIMIT 1</c>), its old rows one range of
    /// that index, so no time_ns index of its own is paid for on every insert. Freed pages are
    /// reused by later inserts; the file does not shrink (no auto_vacuum: it would cost every
    /// insert, and a store under retention is at its steady size anyway).
    /// </remarks>
    public async Task<long> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        ThrowIfNotReady();
        long cutoffNs = ToUnixNano(cutoff);
        int chunk = _options.RetentionChunkRows;
        long total = 0;
        string? tenant = await _thread.RunAsync(() => NextTenant(null), cancellationToken).ConfigureAwait(false);
        while (tenant is not null)
        {
            string current = tenant;
            int deleted;
            do
            {
                deleted = await _thread.RunAsync(() => DeleteChunk(current, cutoffNs, chunk), cancellationToken).ConfigureAwait(false);
                total += deleted;
            }
            while (deleted == chunk);
            tenant = await _thread.RunAsync(() => NextTenant(current), cancellationToken).ConfigureAwait(false);
        }
        return total;
    }

    private string? NextTenant(string? after)
    {
        try
        {
            using SqliteCommand command = Connection.CreateCommand();
            if (after is null)
            {
                command.CommandText = "SELECT tenant_id FROM events ORDER BY tenant_id LIMIT 1";
            }
            else
            {
                command.CommandText = "SELECT tenant_id FROM events WHERE tenant_id > $after ORDER BY tenant_id LIMIT 1";
                command.Parameters.AddWithValue("$after", after);
            }
            return command.ExecuteScalar() as string;
        }
        catch (SqliteException e)
        {
            throw EmbeddedStoreErrors.Map(e, _path, "listing tenants for retention");
        }
    }

    private int DeleteChunk(string tenant, long cutoffNs, int chunk) =>
        DeleteChunk(
            DeleteChunkSql,
            command =>
            {
                command.Parameters.AddWithValue("$tenant", tenant);
                command.Parameters.AddWithValue("$cutoff", cutoffNs);
            },
            chunk,
            "deleting old events");

    // One chunk of a retention DELETE (its LIMIT bound to $limit) in a transaction of its own on the
    // writer connection; returns the rows deleted.
    private int DeleteChunk(string sql, Action<SqliteCommand> bind, int chunk, string doing)
    {
        try
        {
            SqliteConnection connection = Connection;
            using SqliteTransaction tx = connection.BeginTransaction(deferred: false);
            using SqliteCommand command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = sql;
            bind(command);
            command.Parameters.AddWithValue("$limit", chunk);
            int deleted = command.ExecuteNonQuery();
            tx.Commit();
            return deleted;
        }
        catch (SqliteException e)
        {
            throw EmbeddedStoreErrors.Map(e, _path, doing);
        }
    }

    internal const string DeleteChunkSql =
        "DELETE FROM events WHERE rowid IN (SELECT rowid FROM events WHERE tenant_id = $tenant AND time_ns < $cutoff LIMIT $limit)";
}
