using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Rollups;

namespace AnalyticsHub.Storage.Stores;

/// <summary>
/// Persisted rollups (<see cref="RollupRow"/>: 1 m, 1 h and 1 d buckets per series with their
/// sketches) in the active store, so history outlives the hub's memory and restarts. The hub's
/// rollup flusher writes this node's changed buckets every few seconds together with the WAL
/// position they include; after a restart it reloads its recent buckets and replays the WAL
/// from that position. Queries read every node's rows.
/// </summary>
/// <remarks>
/// Failures are <see cref="StoreUnavailableException"/> (transient) or <see cref="StoreRejectedException"/>.
/// Main rows (<see cref="RollupRow.Part"/> 0) are keyed by node, tenant, series key, resolution
/// and bucket: a write replaces the node's earlier main row for the key when its
/// <see cref="RollupRow.Version"/> is higher. Late parts (Part &gt; 0) are keyed the same plus
/// Part and only ever added.
/// </remarks>
public interface IRollupStore
{
    /// <summary>Creates the rollup tables if missing (idempotent). Called before the other methods.</summary>
    Task InitializeRollupsAsync(CancellationToken cancellationToken);

    /// <summary>The WAL position of this node's last complete flush (0 when it never flushed).</summary>
    Task<long> LoadRollupCheckpointAsync(CancellationToken cancellationToken);

    /// <summary>This node's main rows of resolution <paramref name="resolutionSeconds"/> with bucket start ≥ <paramref name="fromUnixNano"/> (restart warm-up), the newest version per key.</summary>
    Task<IReadOnlyList<RollupRow>> LoadRollupsAsync(int resolutionSeconds, long fromUnixNano, CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="rows"/> and sets this node's checkpoint to <paramref name="checkpoint"/>, atomically: after a crash either all of it is visible or none.</summary>
    Task WriteRollupsAsync(IReadOnlyList<RollupRow> rows, long checkpoint, CancellationToken cancellationToken);

    /// <summary>Every node's rows matching <paramref name="request"/> (newest version per main-row key; every late part).</summary>
    Task<IReadOnlyList<RollupRow>> ReadRollupsAsync(RollupReadRequest request, CancellationToken cancellationToken);

    /// <summary>Deletes rows of <paramref name="resolutionSeconds"/> whose bucket starts before <paramref name="cutoff"/>.</summary>
    Task DeleteRollupsOlderThanAsync(int resolutionSeconds, DateTimeOffset cutoff, CancellationToken cancellationToken);
}

/// <summary>
/// Which persisted rows a query needs: one tenant, one resolution, buckets starting in
/// [<see cref="StartUnixNano"/>, <see cref="EndUnixNano"/>), and either one metric name or, when
/// <see cref="Metric"/> is null, every metric of <see cref="EventType"/> (composites).
/// </summary>
public sealed record RollupReadRequest(string TenantId, int ResolutionSeconds, long StartUnixNano, long EndUnixNano, string? Metric, EventType? EventType);
