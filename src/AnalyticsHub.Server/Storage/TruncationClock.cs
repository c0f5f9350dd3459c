namespace AnalyticsHub.Server.Storage;

/// <summary>
/// Remembers when the drainer's checkpoint reached each address, so the WAL is truncated only
/// behind what was drained at least <c>retain</c> ago (recent records stay for the duplicate
/// window that a restart rebuilds from the log).
/// </summary>
internal sealed class TruncationClock(TimeSpan retain)
{
    private readonly Queue<(long Ticks, long Address)> _samples = new();
    private long _retained;

    public void Record(long checkpoint)
    {
        if (_samples.Count == 0 || _samples.Last().Address != checkpoint)
        {
            _samples.Enqueue((Environment.TickCount64, checkpoint));
        }
    }

    /// <summary>The newest checkpoint at least <c>retain</c> old, never below <paramref name="floor"/>.</summary>
    public long RetainedFrom(long floor)
    {
        long cutoff = Environment.TickCount64 - (long)retain.TotalMilliseconds;
        while (_samples.Count > 0 && _samples.Peek().Ticks <= cutoff)
        {
            _retained = Math.Max(_retained, _samples.Dequeue().Address);
        }

        return Math.Max(_retained, floor);
    }
}
