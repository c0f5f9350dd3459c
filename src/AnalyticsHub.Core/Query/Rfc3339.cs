namespace AnalyticsHub.Core.Query;

/// <summary>
/// Parses RFC 3339 times with any UTC offset into UTC Unix nanoseconds:
/// <c>YYYY-MM-DD(T|t| )hh:mm[:ss[(.|,)fraction]](Z|z|±hh[:mm]|±hhmm)</c>. The fraction keeps
/// nanoseconds (digits past the ninth are dropped). A time without an offset is refused: whose
/// local time it is cannot be known. Same grammar as the JSON event reader's timestamps.
/// </summary>
internal static class Rfc3339
{
    public enum Result : byte
    {
        Ok,
        NoOffset,
        Invalid,
    }

    public static Result TryParse(ReadOnlySpan<char> s, out long unixNanos)
    {
        unixNanos = 0;
        var i = 0;
        if (!Digits(s, ref i, 4, out var year) || !Literal(s, ref i, '-') || !Digits(s, ref i, 2, out var month)
            || !Literal(s, ref i, '-') || !Digits(s, ref i, 2, out var day))
        {
            return Result.Invalid;
        }

        if (i == s.Length)
        {
            return Result.NoOffset; // a bare date
        }

        if (s[i] is not ('T' or 't' or ' '))
        {
            return Result.Invalid;
        }

        i++;
        var second = 0;
        if (!Digits(s, ref i, 2, out var hour) || !Literal(s, ref i, ':') || !Digits(s, ref i, 2, out var minute)
            || (Literal(s, ref i, ':') && !Digits(s, ref i, 2, out second)))
        {
            return Result.Invalid;
        }

        long fraction = 0;
        if (i < s.Length && s[i] is '.' or ',')
        {
            i++;
            var start = i;
            for (; i < s.Length && char.IsAsciiDigit(s[i]); i++)
            {
                if (i - start < 9)
                {
                    fraction = (fraction * 10) + (s[i] - '0');
                }
            }

            if (i == start)
            {
                return Result.Invalid;
            }

            for (var scale = Math.Min(i - start, 9); scale < 9; scale++)
            {
                fraction *= 10;
            }
        }

        if (i == s.Length)
        {
            return Result.NoOffset;
        }

        var offsetSeconds = 0;
        if (s[i] is 'Z' or 'z')
        {
            i++;
        }
        else if (s[i] is '+' or '-')
        {
            var sign = s[i++] == '-' ? -1 : 1;
            var offsetMinutes = 0;
            if (!Digits(s, ref i, 2, out var offsetHours)
                || (i < s.Length && (Literal(s, ref i, ':') || char.IsAsciiDigit(s[i])) && !Digits(s, ref i, 2, out offsetMinutes))
                || offsetHours > 23 || offsetMinutes > 59)
            {
                return Result.Invalid;
            }

            offsetSeconds = sign * ((offsetHours * 3600) + (offsetMinutes * 60));
        }
        else
        {
            return Result.Invalid;
        }

        if (i != s.Length || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return Result.Invalid;
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
        var seconds = ((local.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond) - offsetSeconds;
        if (seconds < 0 || seconds > TimeRangeRules.MaxUnixNano / 1_000_000_000)
        {
            unixNanos = seconds < 0 ? -1 : long.MaxValue;
            return Result.Ok; // the caller reports the range
        }

        unixNanos = (seconds * 1_000_000_000) + fraction;
        return Result.Ok;
    }

    private static bool Digits(ReadOnlySpan<char> s, ref int i, int count, out int value)
    {
        value = 0;
        if (s.Length - i < count)
        {
            return false;
        }

        for (var end = i + count; i < end; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                return false;
            }

            value = (value * 10) + (s[i] - '0');
        }

        return true;
    }

    private static bool Literal(ReadOnlySpan<char> s, ref int i, char c)
    {
        if (i < s.Length && s[i] == c)
        {
            i++;
            return true;
        }

        return false;
    }
}
