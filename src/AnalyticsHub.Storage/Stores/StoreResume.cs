namespace AnalyticsHub.Storage.Stores;

/// <summary>
/// What a store already holds of a node's log past the drainer's checkpoint. The drainer skips
/// an event when its position is before <see cref="StoredBefore"/> or listed in
/// <see cref="StoredRows"/>.
/// </summary>
/// <param name="StoredBefore">Every event before this position is stored (transactional stores record it with the rows).</param>
/// <param name="StoredRows">Events at or after the checkpoint found in the store (stores without transactions look them up); empty when none.</param>
public sealed record StoreResume(StorePosition StoredBefore, IReadOnlySet<StorePosition> StoredRows)
{
    public static StoreResume Nothing(long walCheckpoint) => new(new StorePosition(walCheckpoint, 0), new HashSet<StorePosition>());

    public bool IsStored(StorePosition position) => position < StoredBefore || StoredRows.Contains(position);
}
