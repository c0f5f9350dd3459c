namespace AnalyticsHub.LoadRunner.Load;

/// <summary>
/// The rate a whole run offers, in its units per second (events for ingestion, queries for query
/// runs); 0 means closed loop. Constant for most runs; a ramp moves it once a second from the run
/// loop while every pacer reads it, so it is one volatile double, not a lock.
/// </summary>
internal sealed class OfferedRate(double perSecond)
{
    private double _perSecond = perSecond;

    public double PerSecond
    {
        get => Volatile.Read(ref _perSecond);
        set => Volatile.Write(ref _perSecond, value);
    }
}
