namespace AnalyticsHub.Analytics.Anomalies.Ensemble;

/// <summary>
/// Remembers when the last few reports happened and tells whether a new one repeats them at the same time of day. A job
/// that spikes every night is a schedule, not an anomaly. A report recurs when each of the previous <c>days</c> days
/// holds an earlier report within <c>toleranceSeconds</c> of its time of day. Bounded memory (a ring of the last
/// <c>capacity</c> report times), O(capacity) per report and nothing per ordinary point.
/// </summary>
internal sealed class DailyRecurrence(long toleranceSeconds, int days, int capacity = 16)
{
    private const long Day = 86_400;
    private readonly long[] _times = new long[capacity];
    private int _count;
    private int _next;

    /// <summary>False when the tolerance or the number of days is 0: nothing recurs.</summary>
    public bool Enabled => toleranceSeconds > 0 && days > 0;

    /// <summary>Whether a report at <paramref name="timestamp"/> repeats earlier ones at the same time of day on each
    /// of the previous days.</summary>
    public bool Recurs(long timestamp)
    {
        uint daysMatched = 0;
        for (int i = 0; i < _count; i++)
        {
            long age = timestamp - _times[(_next - 1 - i + capacity) % capacity];
            long daysBack = (age + (Day / 2)) / Day; // the nearest whole number of days
            if (daysBack >= 1 && daysBack <= days && Math.Abs(age - (daysBack * Day)) <= toleranceSeconds)
            {
                daysMatched |= 1u << (int)(daysBack - 1);
            }
        }

        return days is > 0 and < 32 && daysMatched == (1u << days) - 1;
    }

    /// <summary>Records a report (including one damped as recurring, so the schedule stays recognised).</summary>
    public void Add(long timestamp)
    {
        _times[_next] = timestamp;
        _next = (_next + 1) % capacity;
        _count = Math.Min(_count + 1, capacity);
    }
}
