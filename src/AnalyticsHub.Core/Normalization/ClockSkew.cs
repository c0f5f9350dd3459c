using AnalyticsHub.Core.Events;

namespace AnalyticsHub.Core.Normalization;

/// <summary>
/// Known clock offsets per source module, added to event times before the timestamp rule: a
/// module whose clock runs 2 s slow gets <c>+2 s</c>. Arithmetic saturates at the ends of
/// <see cref="long"/> instead of wrapping, and an unset time (0) stays 0 so validation still
/// reports it as missing.
/// </summary>
public sealed class ClockSkew
{
    // Indexed by the module's byte value, so undefined values from newer producers are in range
    // (and get no offset).
    private readonly long[] _offsetNanos = new long[byte.MaxValue + 1];

    /// <summary>No offsets: <see cref="Apply"/> returns times unchanged.</summary>
    public static ClockSkew None { get; } = new(new Dictionary<SourceModule, TimeSpan>());

    public ClockSkew(IReadOnlyDictionary<SourceModule, TimeSpan> offsets)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        foreach (var (module, offset) in offsets)
        {
            _offsetNanos[(byte)module] = ToNanos(offset);
        }
    }

    /// <summary>The offset applied to <paramref name="module"/>'s events.</summary>
    public TimeSpan OffsetOf(SourceModule module) => TimeSpan.FromTicks(_offsetNanos[(byte)module] / 100);

    /// <summary><paramref name="eventUnixNano"/> corrected for <paramref name="module"/>'s clock.</summary>
    public long Apply(SourceModule module, long eventUnixNano)
    {
        if (eventUnixNano == 0)
        {
            return 0;
        }

        return SaturatingAdd(eventUnixNano, _offsetNanos[(byte)module]);
    }

    internal static long SaturatingAdd(long a, long b)
    {
        long sum = unchecked(a + b);
        // Overflow happened iff a and b share a sign and the sum's sign differs from it.
        if (((a ^ sum) & (b ^ sum)) < 0)
        {
            return b > 0 ? long.MaxValue : long.MinValue;
        }

        return sum;
    }

    // Ticks are 100 ns; TimeSpan.MaxValue/MinValue in ns do not fit a long, so saturate.
    private static long ToNanos(TimeSpan span) =>
        span.Ticks > long.MaxValue / 100 ? long.MaxValue
        : span.Ticks < long.MinValue / 100 ? long.MinValue
        : span.Ticks * 100;
}
