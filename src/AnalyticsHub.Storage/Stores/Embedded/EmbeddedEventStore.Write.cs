using AnalyticsHub.Core.Storage;
using Microsoft.Data.Sqlite;

namespace AnalyticsHub.Storage.Stores.Embedded;

/// <summary>Writing batches.</summary>
public sealed partial class EmbeddedEventStore
{
    /// <summary>
    /// Stores rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>)
    /// of <paramref name="batch"/> and records <paramref name="storedBefore"/> in
    /// <c>drain_checkpoint</c>, in one transaction, durable (fsync'd) when the task completes.
    /// <paramref name="count"/> may be 0: only the checkpoint moves (records with no accepted events).
    /// Runs on the store's writer thread; the batch must not change until the task completes.
    /// </summary>
    /// <exception cref="StoreUnavailableException">Disk full, I/O error, lock timeout, unusable file: nothing was stored; retry later.</exception>
    /// <exception cref="StoreRejectedException">SQLite refused a row (constraint, value too big): nothing was stored; retrying as is fails again.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before the write started; a started write completes.</exception>
    public Task WriteAsync(StoredEventBatch batch, int start, int count, StorePosition storedBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, batch.Count - start, nameof(count));
        ThrowIfNotReady();
        return _thread.RunAsync(() =>
        {
            try
            {
                Writer.Write(batch, start, count, storedBefore, ToUnixNano(DateTimeOffset.UtcNow));
                return true;
            }
            catch (SqliteException e)
            {
                throw EmbeddedStoreErrors.Map(e, _path, $"writing {count} events");
            }
        }, cancellationToken);
    }
}
