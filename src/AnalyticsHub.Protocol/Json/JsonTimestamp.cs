using System.Globalization;
using System.Text.Json;
using AnalyticsHub.Core.Normalization;

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

    /// <summary>The shared RFC 3339 grammar (<see cref="Rfc3339"/>) with the span a fixed64 of nanoseconds holds.</summary>
    internal static IsoResult TryParseIso8601(ReadOnlySpan<byte> s, out ulong unixNanos)
    {
        unixNanos = 0;
        var result = Rfc3339.TryParse(s, out var seconds, out var fraction);
        if (result != Rfc3339.Result.Ok)
        {
            return result switch
            {
                Rfc3339.Result.NotADate => IsoResult.NotIso,
                Rfc3339.Result.NoOffset => IsoResult.NoOffset,
                _ => IsoResult.InvalidDate,
            };
        }

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
}
