using System.Diagnostics;

namespace AnalyticsHub.LoadRunner.Load;

/// <summary>
/// Spaces one sender's batches to a target rate (a schedule, not a token bucket: a sender that
/// falls behind sends at once, but never more than <see cref="MaxCatchUp"/> of backlog in a burst).
/// A rate of 0 never waits. One sender per pacer; not thread-safe.
/// </summary>
internal sealed class Pacer
{
    private static readonly long MaxCatchUp = Stopwatch.Frequency / 10; // 100 ms

    private readonly long _interval;
    private long _next;

    /// <param name="batchesPerSecond">0 or less: no pacing.</param>
    /// <param name="phase">0–1: where in its first interval this sender starts, so senders do not send in lockstep.</param>
    public Pacer(double batchesPerSecond, double phase)
    {
        _interval = batchesPerSecond > 0 ? Math.Max(1, (long)(Stopwatch.Frequency / batchesPerSecond)) : 0;
        _next = _interval == 0 ? 0 : Stopwatch.GetTimestamp() + (long)(_interval * Math.Clamp(phase, 0, 1));
    }

    public bool IsPaced => _interval != 0;

    public ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        if (_interval == 0)
        {
            return ValueTask.CompletedTask;
        }

        var now = Stopwatch.GetTimestamp();
        var due = Math.Max(_next, now - MaxCatchUp);
        _next = due + _interval;
        return due <= now
            ? ValueTask.CompletedTask
            : new ValueTask(Task.Delay(Stopwatch.GetElapsedTime(now, due), cancellationToken));
    }
}
