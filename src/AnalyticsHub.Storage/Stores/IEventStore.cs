using AnalyticsHub.Core.Storage;

namespace AnalyticsHub.Storage.Stores;

/// <summary>
/// A queryable home for accepted events (embedded SQLite, ClickHouse, PostgreSQL), fed by the
/// WAL drainer in large batches. The drainer owns retries, backoff and splitting; a store
/// writes what it is given, says whether a failure is worth retrying, and helps the drainer
/// never store an event twice after a crash (<see cref="ResumeAsync"/>).
/// </summary>
/// <remarks>
/// Calls come from one drainer at a time, never concurrently. Every failure is one of
/// <see cref="StoreUnavailableException"/> (transient: the same rows may be written again later)
/// or <see cref="StoreRejectedException"/> (the store refused these rows: retrying them as they
/// are will fail again). A store tags its rows with the node id it was created for, so several
/// hubs can share one database.
/// </remarks>
public interface IEventStore : IAsyncDisposable
{
    /// <summary><c>embedded</c>, <c>clickhouse</c> or <c>postgres</c>.</summary>
    string Kind { get; }

    /// <summary>
    /// Connects, learns the server's version and creates or adapts the schema (idempotent).
    /// Throws <see cref="StoreUnavailableException"/> when the server cannot be reached and
    /// <see cref="StoreRejectedException"/> when it refuses the schema, each with a message
    /// an operator can act on.
    /// </summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// What of this node's log at or after <paramref name="walCheckpoint"/> (the drainer's
    /// persisted checkpoint) is already stored: rows written by a batch whose confirmation the
    /// drainer never saw (a crash, a timeout after the server committed).
    /// </summary>
    Task<StoreResume> ResumeAsync(long walCheckpoint, CancellationToken cancellationToken);

    /// <summary>
    /// Stores rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>)
    /// of <paramref name="batch"/>. Stores with transactions record <paramref name="storedBefore"/>
    /// (the log position just past these rows, everything before it now stored) atomically with
    /// the rows, and report it from <see cref="ResumeAsync"/>.
    /// </summary>
    Task WriteAsync(StoredEventBatch batch, int start, int count, StorePosition storedBefore, CancellationToken cancellationToken);

    /// <summary>Removes events older than <paramref name="cutoff"/> (retention); returns how many rows or, for stores that drop whole partitions, -1.</summary>
    Task<long> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);

    /// <summary>A cheap round trip to the server, for readiness.</summary>
    Task<StoreProbe> ProbeAsync(CancellationToken cancellationToken);
}
