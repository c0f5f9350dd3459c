using System.Diagnostics;

namespace AnalyticsHub.LoadRunner.Load;

/// <summary>
/// Spaces one send loop's batches to its share of the run's <see cref="OfferedRate"/> (a schedule,
/// not a token bucket: a loop that falls behind sends at once, but never more than
/// <see cref="MaxCatchUp"/> of backlog in a burst). The rate is read on every wait, so a ramp
/// takes effect at the next batch. A rate of 0 never waits. One loop per pacer; not thread-safe.
/// </summary>
internal sealed class Pacer
{
    private static readonly long MaxCatchUp = Stopwatch.Frequency / 10; // 100 ms

    private readonly OfferedRate _rate;
    private readonly double _share;
    private readonly double _phase;
    private long _lastDue;

    /// <param name="rate">The whole run's offered rate, in units per second.</param>
    /// <param name="unitsPerBatchTimesLoops">
    /// Units one batch carries × the loops sharing the rate (events per batch × senders for an
    /// ingestion stream): this loop's batches/s = rate ÷ it.
    /// </param>
    /// <param name="phase">0–1: where in its first interval this loop starts, so loops do not send in lockstep.</param>
    public Pacer(OfferedRate rate, double unitsPerBatchTimesLoops, double phase)
    {
        ArgumentNullException.ThrowIfNull(rate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(unitsPerBatchTimesLoops);
        _rate = rate;
        _share = 1 / unitsPerBatchTimesLoops;
        _phase = Math.Clamp(phase, 0, 1);
    }

    public ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        var batchesPerSecond = _rate.PerSecond * _share;
        if (batchesPerSecond <= 0)
        {
            _lastDue = 0;
            return ValueTask.CompletedTask;
        }

        // The interval is taken at each wait, from the previous due time, so a ramp's new rate
        // applies from the next batch (a schedule made at the previous rate would lag it).
        var interval = Math.Max(1, (long)(Stopwatch.Frequency / batchesPerSecond));
        var now = Stopwatch.GetTimestamp();
        var due = _lastDue == 0 ? now + (long)(interval * _phase) : Math.Max(_lastDue + interval, now - MaxCatchUp);
        _lastDue = due;
        return due <= now
            ? ValueTask.CompletedTask
            : new ValueTask(Task.Delay(Stopwatch.GetElapsedTime(now, due), cancellationToken));
    }
}
