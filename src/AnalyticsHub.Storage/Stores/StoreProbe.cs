namespace AnalyticsHub.Storage.Stores;

/// <summary>The result of <see cref="IEventStore.ProbeAsync"/>: reachable or not, and why, with the server's version when known.</summary>
public readonly record struct StoreProbe(bool Reachable, string? Error, string? ServerVersion)
{
    public static StoreProbe Ok(string? serverVersion) => new(true, null, serverVersion);

    public static StoreProbe Failed(string error) => new(false, error, null);
}
