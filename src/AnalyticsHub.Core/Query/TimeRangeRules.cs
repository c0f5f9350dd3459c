using System.Globalization;
using System.Text;
using AnalyticsHub.Core.Normalization;

namespace AnalyticsHub.Core.Query;

/// <summary>Where a time range's parts are in the request, for error paths.</summary>
internal readonly record struct TimeRangePaths(string Range, string Start, string End, string Relative)
{
    public static readonly TimeRangePaths Query = new("time_range", "time_range.start", "time_range.end", "time_range.relative");
    public static readonly TimeRangePaths Search = new("start", "start", "end", "relative");
}

/// <summary>
/// Time range rules shared by metric queries and event searches: absolute bounds (RFC 3339 with
/// any offset, or integer Unix nanoseconds) or <c>last N{s,m,h,d,w}</c> against the clock; start
/// before end; span within <see cref="QueryLimits.MaxRange"/>; times within 1970–2199.
/// </summary>
internal static class TimeRangeRules
{
    public const long NanosPerSecond = 1_000_000_000;
    public const long NanosPerMinute = 60 * NanosPerSecond;
    public const long NanosPerDay = 86_400 * NanosPerSecond;

    /// <summary>2200-01-01T00:00:00Z: later times are refused, so aligning up to a day never overflows.</summary>
    public const long MaxUnixNano = 7_258_118_400 * NanosPerSecond;

    public const string RelativeForm = "write last N followed by s, m, h, d or w, e.g. 'last 24h' or 'last 7d'";

    public static long ToUnixNano(DateTimeOffset time) => (time.UtcTicks - DateTime.UnixEpoch.Ticks) * 100;

    /// <summary>
    /// [start, end) of <paramref name="spec"/> (not aligned), or false with errors added.
    /// The caller handles an empty spec (required, or a default).
    /// </summary>
    public static bool TryResolve(TimeRangeSpec spec, DateTimeOffset now, QueryLimits limits, TimeRangePaths paths, List<QueryError> errors, out long start, out long end)
    {
        start = 0;
        end = 0;
        var hasAbsolute = !string.IsNullOrEmpty(spec.Start) || !string.IsNullOrEmpty(spec.End);
        if (!string.IsNullOrEmpty(spec.Relative))
        {
            if (hasAbsolute)
            {
                errors.Add(new(paths.Range, "give either relative or start and end, not both"));
                return false;
            }

            if (!TryParseRelative(spec.Relative, out var span))
            {
                errors.Add(new(paths.Relative, $"{QueryNames.Quote(spec.Relative)} is not a relative range; {RelativeForm}"));
                return false;
            }

            end = ToUnixNano(now);
            if (span > limits.MaxRange.Ticks * 100 || span > end)
            {
                errors.Add(new(paths.Relative, $"{QueryNames.Quote(spec.Relative)} spans more than the {Describe(limits.MaxRange)} limit; use a shorter range"));
                return false;
            }

            start = end - span;
            return true;
        }

        var ok = TryParseTime(spec.Start, paths.Start, errors, out start);
        ok &= TryParseTime(spec.End, paths.End, errors, out end);
        if (!ok)
        {
            return false;
        }

        if (start >= end)
        {
            errors.Add(new(paths.Range, $"start {FormatTime(start)} is not before end {FormatTime(end)}; the range is [start, end): give an end later than the start"));
            return false;
        }

        if (end - start > limits.MaxRange.Ticks * 100)
        {
            errors.Add(new(paths.Range, $"the time range spans {DescribeNanos(end - start)}, above the {Describe(limits.MaxRange)} limit; use a shorter range"));
            return false;
        }

        return true;
    }

    /// <summary><c>last N{s,m,h,d,w}</c> (ASCII-case-insensitive, N ≥ 1) as a span in nanoseconds; long.MaxValue when N × unit overflows.</summary>
    public static bool TryParseRelative(string text, out long nanos)
    {
        nanos = 0;
        var s = text.AsSpan().Trim();
        if (s.Length < 6 || !s[..4].Equals("last", StringComparison.OrdinalIgnoreCase) || !char.IsWhiteSpace(s[4]))
        {
            return false;
        }

        s = s[4..].TrimStart();
        var unit = s.Length > 0 ? char.ToLowerInvariant(s[^1]) : '\0';
        var unitNanos = unit switch
        {
            's' => NanosPerSecond,
            'm' => NanosPerMinute,
            'h' => 60 * NanosPerMinute,
            'd' => NanosPerDay,
            'w' => 7 * NanosPerDay,
            _ => 0L,
        };
        var digits = s[..^1];
        if (unitNanos == 0 || digits.Length is 0 or > 12 || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count == 0)
        {
            return false;
        }

        nanos = count > long.MaxValue / unitNanos ? long.MaxValue : count * unitNanos;
        return true;
    }

    private static bool TryParseTime(string? text, string path, List<QueryError> errors, out long nanos)
    {
        nanos = 0;
        if (string.IsNullOrEmpty(text))
        {
            errors.Add(new(path, $"{path} is required with an absolute range; give an RFC 3339 time with an offset ('2026-11-24T00:00:00Z', '…+02:00') or Unix nanoseconds, or use a relative range ('last 24h')"));
            return false;
        }

        var trimmed = text.AsSpan().Trim();
        if (trimmed.Length > 0 && trimmed.Length <= 40 && (char.IsAsciiDigit(trimmed[0]) || trimmed[0] == '-') && IsInteger(trimmed))
        {
            if (!long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out nanos) || nanos < 0 || nanos > MaxUnixNano)
            {
                errors.Add(new(path, $"{QueryNames.Quote(text)} Unix nanoseconds is outside 1970–2199; give a time in that span"));
                return false;
            }

            return true;
        }

        var result = Rfc3339.TryParse(trimmed, out var seconds, out var fraction);
        if (result == Rfc3339.Result.Ok && seconds >= 0 && seconds <= MaxUnixNano / NanosPerSecond)
        {
            nanos = (seconds * NanosPerSecond) + fraction;
            if (nanos <= MaxUnixNano)
            {
                return true;
            }
        }

        errors.Add(new(path, result switch
        {
            Rfc3339.Result.NoOffset => $"{QueryNames.Quote(text)} has no UTC offset; add Z or ±hh:mm (e.g. '2026-11-24T00:00:00Z')",
            Rfc3339.Result.Ok => $"{QueryNames.Quote(text)} is outside 1970–2199; give a time in that span",
            _ => $"{QueryNames.Quote(text)} is not a time; give an RFC 3339 time with an offset ('2026-11-24T00:00:00Z', '2026-11-24T02:00:00+02:00') or integer Unix nanoseconds",
        }));
        return false;
    }

    private static bool IsInteger(ReadOnlySpan<char> s)
    {
        var digits = s[0] == '-' ? s[1..] : s;
        return digits.Length > 0 && !digits.ContainsAnyExcept("0123456789");
    }

    /// <summary>UTC text of a Unix nanosecond time, for messages.</summary>
    public static string FormatTime(long unixNanos) =>
        new DateTime(DateTime.UnixEpoch.Ticks + (unixNanos / 100), DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    public static string Describe(TimeSpan span) => DescribeNanos(span.Ticks * 100);

    /// <summary>A span in words: "90 days", "1 day 12 hours", "90 seconds" → "1 minute 30 seconds"; under a second: "less than a second".</summary>
    public static string DescribeNanos(long nanos)
    {
        var seconds = nanos / NanosPerSecond;
        if (seconds == 0)
        {
            return "less than a second";
        }

        var text = new StringBuilder();
        Part(text, seconds / 86_400, "day");
        Part(text, seconds / 3_600 % 24, "hour");
        Part(text, seconds / 60 % 60, "minute");
        Part(text, seconds % 60, "second");
        return text.ToString();

        static void Part(StringBuilder text, long count, string unit)
        {
            if (count == 0)
            {
                return;
            }

            if (text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(count.ToString("N0", CultureInfo.InvariantCulture)).Append(' ').Append(unit);
            if (count != 1)
            {
                text.Append('s');
            }
        }
    }
}
