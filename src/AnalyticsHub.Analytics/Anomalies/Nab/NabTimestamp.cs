using System.Globalization;

namespace AnalyticsHub.Analytics.Anomalies.Nab;

/// <summary>
/// Timestamps as NAB writes them (<c>2014-04-01 00:00:00</c>, label windows with a <c>.000000</c> fraction) and as
/// RFC 3339 writes them (<c>2014-04-01T00:00:00Z</c>, <c>…+02:00</c>). Without an offset the time is taken as UTC.
/// </summary>
public static class NabTimestamp
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-dd HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    /// <summary>Parses one timestamp; false when it is in none of the accepted forms.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset timestamp) =>
        DateTimeOffset.TryParseExact(text.Trim(), Formats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out timestamp);
}
