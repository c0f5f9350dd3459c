namespace AnalyticsHub.Core.Validation;

/// <summary>
/// Accepts an event time (Unix nanoseconds) no older than <see cref="MaxAge"/> and no further
/// in the future than <see cref="MaxFutureSkew"/>, both bounds inclusive. Time is passed in:
/// the caller reads the clock once per batch, not once per event. Apply clock-skew correction
/// (<c>Normalization.ClockSkew</c>) before this rule.
/// </summary>
public sealed class TimestampRule
{
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromDays(7);
    public static readonly TimeSpan DefaultMaxFutureSkew = TimeSpan.FromHours(1);

    private readonly ulong _maxAgeNanos;
    private readonly ulong _maxFutureNanos;

    /// <summary>The defaults: 7 days of age, 1 hour of future skew.</summary>
    public TimestampRule()
        : this(DefaultMaxAge, DefaultMaxFutureSkew)
    {
    }

    public TimestampRule(TimeSpan maxAge, TimeSpan maxFutureSkew)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAge, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFutureSkew, TimeSpan.Zero);
        MaxAge = maxAge;
        MaxFutureSkew = maxFutureSkew;
        _maxAgeNanos = ToNanos(maxAge);
        _maxFutureNanos = ToNanos(maxFutureSkew);
    }

    public TimeSpan MaxAge { get; }

    public TimeSpan MaxFutureSkew { get; }

    /// <summary>
    /// <see cref="Rejection.MissingField"/> for 0 (proto3's "not set"),
    /// <see cref="Rejection.TimestampOutOfRange"/> outside the window, else <see cref="Rejection.None"/>.
    /// </summary>
    public Rejection Check(long eventUnixNano, long nowUnixNano)
    {
        if (eventUnixNano == 0)
        {
            return Rejection.MissingField;
        }

        // The distance between two longs always fits in a ulong, so neither side can overflow,
        // whatever the inputs (negative times, long.MinValue/MaxValue).
        if (eventUnixNano <= nowUnixNano)
        {
            ulong age = (ulong)nowUnixNano - (ulong)eventUnixNano;
            return age <= _maxAgeNanos ? Rejection.None : Rejection.TimestampOutOfRange;
        }

        ulong ahead = (ulong)eventUnixNano - (ulong)nowUnixNano;
        return ahead <= _maxFutureNanos ? Rejection.None : Rejection.TimestampOutOfRange;
    }

    // Ticks are 100 ns; a huge TimeSpan saturates rather than wrapping to a tiny window.
    private static ulong ToNanos(TimeSpan span) =>
        (ulong)span.Ticks <= ulong.MaxValue / 100 ? (ulong)span.Ticks * 100 : ulong.MaxValue;
}
