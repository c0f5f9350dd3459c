namespace AnalyticsHub.Protocol.Grpc;

/// <summary>
/// The <c>grpc-timeout</c> header: at most 8 ASCII digits followed by a unit
/// (H hours, M minutes, S seconds, m milliseconds, u microseconds, n nanoseconds).
/// </summary>
public static class GrpcTimeout
{
    private const int MaxDigits = 8;
    private const long MaxValue = 99_999_999;

    public static bool TryParse(ReadOnlySpan<char> text, out TimeSpan timeout)
    {
        timeout = default;
        if (text.Length < 2 || text.Length > MaxDigits + 1)
        {
            return false;
        }

        long value = 0;
        foreach (var c in text[..^1])
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        // 99,999,999 hours overflows TimeSpan, so the coarse units clamp to TimeSpan.MaxValue.
        timeout = text[^1] switch
        {
            'H' => Clamp(value, TimeSpan.TicksPerHour),
            'M' => Clamp(value, TimeSpan.TicksPerMinute),
            'S' => Clamp(value, TimeSpan.TicksPerSecond),
            'm' => TimeSpan.FromTicks(value * TimeSpan.TicksPerMillisecond),
            'u' => TimeSpan.FromTicks(value * TimeSpan.TicksPerMicrosecond),
            'n' => TimeSpan.FromTicks((value + 99) / 100),
            _ => TimeSpan.MinValue,
        };
        return timeout != TimeSpan.MinValue;
    }

    /// <summary>Formats a timeout with the finest unit that keeps it within 8 digits, rounding up.</summary>
    public static string Format(TimeSpan timeout)
    {
        var ticks = Math.Max(0, timeout.Ticks);
        if (ticks <= MaxValue / 100)
        {
            return $"{ticks * 100}n";
        }

        ReadOnlySpan<(long TicksPerUnit, char Unit)> units =
        [
            (TimeSpan.TicksPerMicrosecond, 'u'),
            (TimeSpan.TicksPerMillisecond, 'm'),
            (TimeSpan.TicksPerSecond, 'S'),
            (TimeSpan.TicksPerMinute, 'M'),
            (TimeSpan.TicksPerHour, 'H'),
        ];
        foreach (var (perUnit, unit) in units)
        {
            // Rounded up without computing ticks + perUnit, which overflows near TimeSpan.MaxValue.
            var value = (ticks / perUnit) + (ticks % perUnit != 0 ? 1 : 0);
            if (value <= MaxValue)
            {
                return $"{value}{unit}";
            }
        }

        return $"{MaxValue}H";
    }

    private static TimeSpan Clamp(long value, long ticksPerUnit) =>
        value > TimeSpan.MaxValue.Ticks / ticksPerUnit ? TimeSpan.MaxValue : TimeSpan.FromTicks(value * ticksPerUnit);
}
