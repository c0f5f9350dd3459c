namespace AnalyticsHub.Core.Normalization;

/// <summary>
/// Converts telemetry values to the hub's canonical units so one series never mixes scales:
/// durations → <c>ms</c>, sizes → <c>bytes</c>, rates → <c>per_second</c>. Matching is
/// ASCII-case-insensitive after trimming ASCII whitespace. Case is not significant, so
/// <c>Mb</c> is megabytes, never megabits, and <c>b</c>/<c>B</c> are bytes. Decimal prefixes
/// are powers of 1000 (<c>kb</c>), binary ones powers of 1024 (<c>kib</c>).
/// </summary>
/// <remarks>
/// Units outside the table (<c>tokens</c>, <c>percent</c>, <c>ratio</c>, <c>m</c> — metres or
/// minutes?) are not converted: value and unit come back unchanged and the call returns false.
/// A conversion that overflows gives ±∞ (and NaN stays NaN); run
/// <c>PayloadRules.CheckMetricValue</c> after this to reject it.
/// </remarks>
public static class UnitNormalizer
{
    /// <summary>Canonical duration unit.</summary>
    public static ReadOnlySpan<byte> Milliseconds => "ms"u8;

    /// <summary>Canonical size unit.</summary>
    public static ReadOnlySpan<byte> Bytes => "bytes"u8;

    /// <summary>Canonical rate unit.</summary>
    public static ReadOnlySpan<byte> PerSecond => "per_second"u8;

    private static readonly UnitEntry[] Table =
    [
        // durations → milliseconds
        new("ns"u8.ToArray(), Div(1e6), UnitDimension.Duration),
        new("nanosecond"u8.ToArray(), Div(1e6), UnitDimension.Duration),
        new("nanoseconds"u8.ToArray(), Div(1e6), UnitDimension.Duration),
        new("us"u8.ToArray(), Div(1e3), UnitDimension.Duration),
        new("µs"u8.ToArray(), Div(1e3), UnitDimension.Duration), // U+00B5 MICRO SIGN
        new("μs"u8.ToArray(), Div(1e3), UnitDimension.Duration), // U+03BC GREEK SMALL LETTER MU
        new("microsecond"u8.ToArray(), Div(1e3), UnitDimension.Duration),
        new("microseconds"u8.ToArray(), Div(1e3), UnitDimension.Duration),
        new("ms"u8.ToArray(), Mul(1), UnitDimension.Duration),
        new("millisecond"u8.ToArray(), Mul(1), UnitDimension.Duration),
        new("milliseconds"u8.ToArray(), Mul(1), UnitDimension.Duration),
        new("s"u8.ToArray(), Mul(1_000), UnitDimension.Duration),
        new("sec"u8.ToArray(), Mul(1_000), UnitDimension.Duration),
        new("second"u8.ToArray(), Mul(1_000), UnitDimension.Duration),
        new("seconds"u8.ToArray(), Mul(1_000), UnitDimension.Duration),
        new("min"u8.ToArray(), Mul(60_000), UnitDimension.Duration),
        new("minute"u8.ToArray(), Mul(60_000), UnitDimension.Duration),
        new("minutes"u8.ToArray(), Mul(60_000), UnitDimension.Duration),
        new("h"u8.ToArray(), Mul(3_600_000), UnitDimension.Duration),
        new("hour"u8.ToArray(), Mul(3_600_000), UnitDimension.Duration),
        new("hours"u8.ToArray(), Mul(3_600_000), UnitDimension.Duration),

        // sizes → bytes
        new("b"u8.ToArray(), Mul(1), UnitDimension.Size),
        new("byte"u8.ToArray(), Mul(1), UnitDimension.Size),
        new("bytes"u8.ToArray(), Mul(1), UnitDimension.Size),
        new("kb"u8.ToArray(), Mul(1e3), UnitDimension.Size),
        new("mb"u8.ToArray(), Mul(1e6), UnitDimension.Size),
        new("gb"u8.ToArray(), Mul(1e9), UnitDimension.Size),
        new("tb"u8.ToArray(), Mul(1e12), UnitDimension.Size),
        new("kib"u8.ToArray(), Mul(1024d), UnitDimension.Size),
        new("mib"u8.ToArray(), Mul(1024d * 1024), UnitDimension.Size),
        new("gib"u8.ToArray(), Mul(1024d * 1024 * 1024), UnitDimension.Size),
        new("tib"u8.ToArray(), Mul(1024d * 1024 * 1024 * 1024), UnitDimension.Size),

        // rates → per second
        new("per_second"u8.ToArray(), Mul(1), UnitDimension.Rate),
        new("/s"u8.ToArray(), Mul(1), UnitDimension.Rate),
        new("per_minute"u8.ToArray(), Div(60), UnitDimension.Rate),
        new("/min"u8.ToArray(), Div(60), UnitDimension.Rate),
        new("rpm"u8.ToArray(), Div(60), UnitDimension.Rate),
        new("per_hour"u8.ToArray(), Div(3_600), UnitDimension.Rate),
        new("/h"u8.ToArray(), Div(3_600), UnitDimension.Rate),
    ];

    /// <summary>
    /// Converts <paramref name="value"/> from <paramref name="unit"/> to the canonical unit of its
    /// dimension. False when the unit is not in the table; then <paramref name="normalized"/> is
    /// <paramref name="value"/> and <paramref name="canonicalUnit"/> is <paramref name="unit"/> as given.
    /// </summary>
    public static bool TryNormalize(
        ReadOnlySpan<byte> unit, double value, out double normalized, out ReadOnlySpan<byte> canonicalUnit)
    {
        ReadOnlySpan<byte> key = AsciiText.Trim(unit);
        foreach (var entry in Table)
        {
            if (AsciiText.EqualsIgnoreCase(key, entry.Name))
            {
                // One correctly rounded operation by an exact constant: 1500 ns ÷ 1e6 is exactly
                // the double 0.0015, where × 1e-6 (inexact) could be off by an ulp.
                normalized = entry.Divide ? value / entry.Scale : value * entry.Scale;
                canonicalUnit = CanonicalUnit(entry.Dimension);
                return true;
            }
        }

        normalized = value;
        canonicalUnit = unit;
        return false;
    }

    /// <summary>The dimension of <paramref name="unit"/>, or <see cref="UnitDimension.None"/> when it is not in the table.</summary>
    public static UnitDimension DimensionOf(ReadOnlySpan<byte> unit)
    {
        ReadOnlySpan<byte> key = AsciiText.Trim(unit);
        foreach (var entry in Table)
        {
            if (AsciiText.EqualsIgnoreCase(key, entry.Name))
            {
                return entry.Dimension;
            }
        }

        return UnitDimension.None;
    }

    private static ReadOnlySpan<byte> CanonicalUnit(UnitDimension dimension) => dimension switch
    {
        UnitDimension.Duration => Milliseconds,
        UnitDimension.Size => Bytes,
        _ => PerSecond,
    };

    private static (double Scale, bool Divide) Mul(double scale) => (scale, false);

    private static (double Scale, bool Divide) Div(double scale) => (scale, true);

    private readonly record struct UnitEntry(byte[] Name, double Scale, bool Divide, UnitDimension Dimension)
    {
        public UnitEntry(byte[] name, (double Scale, bool Divide) factor, UnitDimension dimension)
            : this(name, factor.Scale, factor.Divide, dimension)
        {
        }
    }
}
