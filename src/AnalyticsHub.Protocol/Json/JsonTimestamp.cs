using System.Globalization;
using System.Text.Json;

namespace AnalyticsHub.Protocol.Json;

/// <summary>
/// Event time as UTC Unix nanoseconds (the proto's fixed64 <c>time_unix_nano</c>) from
/// <c>timestamp</c> — an ISO-8601/RFC 3339 string with an offset, or Unix seconds (&lt; 1e11) or
/// milliseconds as a number, fraction allowed — or from <c>time_unix_nano</c> itself. Times before
/// 1970 or after 2554 do not fit the field and are errors here; the accepted window is validation's.
/// </summary>
internal static class JsonTimestamp
{
    /// <summary>Below this a Unix number is seconds, else milliseconds (1e11 s is the year 5138; 1e11 ms is 1973).</summary>
    private const decimal SecondsLimit = 1e11m;

    private const decimal MaxNanos = ulong.MaxValue;

    private const string Expected = "expected an ISO-8601 time with an offset (\"2026-11-24T10:00:00.123Z\", \"…+01:00\") or Unix seconds or milliseconds";

    /// <summary>The <c>timestamp</c> key: ISO-8601 string, Unix seconds or milliseconds (number or numeric string).</summary>
    public static bool TryRead(ref Utf8JsonReader reader, out ulong unixNanos, out string? error)
    {
        unixNanos = 0;
        error = null;
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetDecimal(out var number))
            {
                return FromUnixNumber(number, out unixNanos, out error, ref reader);
            }

            error = $"{JsonScalars.Describe(ref reader)} is outside 1970–2554, which time_unix_nano can hold";
            return false;
        }

        Span<byte> buffer = stackalloc byte[64];
        if (reader.TokenType != JsonTokenType.String || !JsonScalars.TryGetShortText(ref reader, buffer, out var text))
        {
            error = $"{Expected}; found {JsonScalars.Describe(ref reader)}";
            return false;
        }

        var iso = TryParseIso8601(text, out unixNanos);
        if (iso == IsoResult.Ok)
        {
            return true;
        }

        if (iso == IsoResult.NotIso && decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var parsed))
        {
            return FromUnixNumber(parsed, out unixNanos, out error, ref reader);
        }

        error = iso switch
        {
            IsoResult.NoOffset => $"the time {JsonScalars.Describe(ref reader)} has no UTC offset; add Z or ±hh:mm",
            IsoResult.OutOfRange => $"the time {JsonScalars.Describe(ref reader)} is outside 1970–2554, which time_unix_nano can hold",
            IsoResult.InvalidDate => $"{JsonScalars.Describe(ref reader)} is not a valid date and time",
            _ => $"{Expected}; found {JsonScalars.Describe(ref reader)}",
        };
        return false;
    }

    /// <summary>The <c>time_unix_nano</c> key: an integer, or a numeric string as protobuf's JSON mapping writes 64-bit values.</summary>
    public static bool TryReadUnixNanos(ref Utf8JsonReader reader, out ulong unixNanos, out string? error) =>
        JsonScalars.TryReadUInt64(ref reader, out unixNanos, out error);

    internal enum IsoResult : byte
    {
        Ok,

        /// <summary>Not shaped like a date at all (may be a numeric string).</summary>
        NotIso,
        NoOffset,
        InvalidDate,
        OutOfRange,
    }

    /// <summary>
    /// <c>YYYY-MM-DD(T|t| )hh:mm[:ss[(.|,)fraction]](Z|z|±hh[:mm]|±hhmm)</c>. The fraction keeps
    /// nanoseconds (digits past the ninth are dropped). A time without an offset is refused:
    /// whose local time it is cannot be known.
    /// </summary>
    internal static IsoResult TryParseIso8601(ReadOnlySpan<byte> s, out ulong unixNanos)
    {
        unixNanos = 0;
        var i = 0;
        if (!Digits(s, ref i, 4, out var year) || !Literal(s, ref i, '-') || !Digits(s, ref i, 2, out var month)
            || !Literal(s, ref i, '-') || !Digits(s, ref i, 2, out var day))
        {
            return IsoResult.NotIso;
        }

        if (i == s.Length)
        {
            return IsoResult.NoOffset; // a bare date
        }

        if (s[i] is not ((byte)'T' or (byte)'t' or (byte)' '))
        {
            return IsoResult.InvalidDate;
        }

        i++;
        var second = 0;
        if (!Digits(s, ref i, 2, out var hour) || !Literal(s, ref i, ':') || !Digits(s, ref i, 2, out var minute)
            || (Literal(s, ref i, ':') && !Digits(s, ref i, 2, out second)))
        {
            return IsoResult.InvalidDate;
        }

        long fraction = 0;
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
                return IsoResult.InvalidDate;
            }

            for (var scale = Math.Min(i - start, 9); scale < 9; scale++)
            {
                fraction *= 10;
            }
        }

        if (i == s.Length)
        {
            return IsoResult.NoOffset;
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
                return IsoResult.InvalidDate;
            }

            offsetSeconds = sign * ((offsetHours * 3600) + (offsetMinutes * 60));
        }
        else
        {
            return IsoResult.InvalidDate;
        }

        if (i != s.Length || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return IsoResult.InvalidDate;
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
        var seconds = ((local.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond) - offsetSeconds;
        if (seconds < 0 || (ulong)seconds > (ulong.MaxValue - (ulong)fraction) / 1_000_000_000UL)
        {
            return IsoResult.OutOfRange;
        }

        unixNanos = ((ulong)seconds * 1_000_000_000UL) + (ulong)fraction;
        return IsoResult.Ok;
    }

    private static bool FromUnixNumber(decimal value, out ulong unixNanos, out string? error, ref Utf8JsonReader reader)
    {
        unixNanos = 0;
        error = null;
        var factor = value < SecondsLimit ? 1e9m : 1e6m;
        if (value < 0 || value > MaxNanos / factor)
        {
            error = $"{JsonScalars.Describe(ref reader)} is outside 1970–2554, which time_unix_nano can hold";
            return false;
        }

        unixNanos = (ulong)decimal.Truncate(value * factor);
        return true;
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
