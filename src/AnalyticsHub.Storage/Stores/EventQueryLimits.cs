namespace AnalyticsHub.Storage.Stores;

/// <summary>Bounds on the memory and work of one raw-event query (<see cref="IEventQueries"/>).</summary>
public sealed record EventQueryLimits
{
    public static readonly EventQueryLimits Default = new();

    /// <summary>Most (bucket, group) cells one metric query may produce (default 100,000); more is refused.</summary>
    public int MaxCells { get; init; } = 100_000;

    /// <summary>Most events one search page examines (default 1,000,000); the page then ends early with a cursor.</summary>
    public int MaxScanRows { get; init; } = 1_000_000;

    /// <summary><paramref name="value"/>, checked, for the stores' <c>QueryLimits</c> setters.</summary>
    internal static EventQueryLimits Checked(EventQueryLimits value)
    {
        ArgumentNullException.ThrowIfNull(value);
        value.Validate();
        return value;
    }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxCells, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxScanRows, 1);
    }
}
