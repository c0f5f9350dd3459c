using System.Buffers;
using System.Text;

namespace AnalyticsHub.Core.Normalization;

/// <summary>
/// The one timestamp grammar of the hub (JSON event <c>timestamp</c>s and query time bounds):
/// RFC 3339 with any UTC offset, <c>YYYY-MM-DD(T|t| )hh:mm[:ss[(.|,)fraction]](Z|z|±hh[:mm]|±hhmm)</c>.
/// The fraction keeps nanoseconds (digits past the ninth are dropped). A time without an offset
/// is refused: whose local time it is cannot be known. The result is UTC Unix seconds (negative
/// before 1970) and nanoseconds; which span is accepted is the caller's.
/// </summary>
public static class Rfc3339
{
    /// <summary>Longest text the UTF-16 overload reads; a longer one is <see cref="Result.Invalid"/>.</summary>
    public const int MaxLength = 64;

    public enum Result : byte
    {
        Ok,

        /// <summary>Does not start with <c>YYYY-MM-DD</c> (may be something else, e.g. a number).</summary>
        NotADate,
        NoOffset,
        Invalid,
    }

    /// <summary>UTF-16 text; non-ASCII is <see cref="Result.Invalid"/>. See <see cref="TryParse(ReadOnlySpan{byte}, out long, out int)"/>.</summary>
    public static Result TryParse(ReadOnlySpan<char> s, out long unixSeconds, out int nanoseconds)
    {
        Span<byte> ascii = stackalloc byte[MaxLength];
        if (s.Length > MaxLength || Ascii.FromUtf16(s, ascii, out var written) != OperationStatus.Done)
        {
            unixSeconds = 0;
            nanoseconds = 0;
            return Result.Invalid;
        }

        return TryParse(ascii[..written], out unixSeconds, out nanoseconds);
    }

    /// <summary>UTF-8 (ASCII) text: the time as UTC Unix seconds and the nanoseconds of that second.</summary>
    public static Result TryParse(ReadOnlySpan<byte> s, out long unixSeconds, out int nanoseconds)
    {
        unixSeconds = 0;
        nanoseconds = 0;
        var i = 0;
        if (!Digits(s, ref i, 4, out var year) || !Literal(s, ref i, '-') || !Digits(s, ref i, 2, out var month)
            || !Literal(s, ref i, '-') || !Digits(s, ref i, 2, out var day))
        {
            return Result.NotADate;
        }

        if (i == s.Length)
        {
            return Result.NoOffset; // a bare date
        }

        if (s[i] is not ((byte)'T' or (byte)'t' or (byte)' '))
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

        var fraction = 0;
        if (i < s.Length && s[i] is (byte)'.' or (byte)',')
        {
            i++;
            var start = i;
            for (; i < s.Length && IsDigit(s[i]); i++)
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
        if (s[i] is (byte)'Z' or (byte)'z')
        {
            i++;
        }
        else if (s[i] is (byte)'+' or (byte)'-')
        {
            var sign = s[i++] == (byte)'-' ? -1 : 1;
            var offsetMinutes = 0;
            if (!Digits(s, ref i, 2, out var offsetHours)
                || (i < s.Length && (Literal(s, ref i, ':') || IsDigit(s[i])) && !Digits(s, ref i, 2, out offsetMinutes))
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
        unixSeconds = ((local.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond) - offsetSeconds;
        nanoseconds = fraction;
        return Result.Ok;
    }

    private static bool Digits(ReadOnlySpan<byte> s, ref int i, int count, out int value)
    {
        value = 0;
        if (s.Length - i < count)
        {
            return false;
        }

        for (var end = i + count; i < end; i++)
        {
            if (!IsDigit(s[i]))
            {
                return false;
            }

            value = (value * 10) + (s[i] - '0');
        }

        return true;
    }

    private static bool Literal(ReadOnlySpan<byte> s, ref int i, char c)
    {
        if (i < s.Length && s[i] == (byte)c)
        {
            i++;
            return true;
        }

        return false;
    }

    private static bool IsDigit(byte c) => (uint)(c - '0') <= 9;
}
