namespace AnalyticsHub.Core.Query;

/// <summary>
/// A time range as sent: absolute <see cref="Start"/> and <see cref="End"/>, or
/// <see cref="Relative"/> (<c>last 24h</c>; units s, m, h, d, w) resolved against the clock at
/// validation. Null or empty means "not given".
/// </summary>
public sealed record TimeRangeSpec
{
    /// <summary>RFC 3339 with any UTC offset (<c>2026-11-23T00:00:00+02:00</c>), or integer Unix nanoseconds in decimal (the gRPC mapping writes <c>start_unix_nano</c> here; 0 means not given there).</summary>
    public string? Start { get; init; }

    /// <summary>Exclusive end; same forms as <see cref="Start"/>.</summary>
    public string? End { get; init; }

    public string? Relative { get; init; }

    /// <summary>True when no part was given.</summary>
    public bool IsEmpty => string.IsNullOrEmpty(Start) && string.IsNullOrEmpty(End) && string.IsNullOrEmpty(Relative);
}
