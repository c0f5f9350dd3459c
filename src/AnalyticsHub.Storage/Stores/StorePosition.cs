namespace AnalyticsHub.Storage.Stores;

/// <summary>
/// A place in one node's event log, in log order: the event at <see cref="Index"/> among the
/// accepted events of the WAL record at <see cref="Address"/>.
/// </summary>
public readonly record struct StorePosition(long Address, int Index) : IComparable<StorePosition>
{
    public int CompareTo(StorePosition other) =>
        Address != other.Address ? Address.CompareTo(other.Address) : Index.CompareTo(other.Index);

    public static bool operator <(StorePosition left, StorePosition right) => left.CompareTo(right) < 0;

    public static bool operator >(StorePosition left, StorePosition right) => left.CompareTo(right) > 0;

    public static bool operator <=(StorePosition left, StorePosition right) => left.CompareTo(right) <= 0;

    public static bool operator >=(StorePosition left, StorePosition right) => left.CompareTo(right) >= 0;
}
