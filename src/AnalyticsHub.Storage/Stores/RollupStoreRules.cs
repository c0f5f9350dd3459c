using AnalyticsHub.Core.Rollups;

namespace AnalyticsHub.Storage.Stores;

/// <summary>
/// What every <see cref="IRollupStore"/> checks and computes the same way: the resolutions a row
/// may have, the values a row must hold to be stored anywhere, and bucket numbers for time bounds.
/// </summary>
/// <remarks>
/// Stores filter on the bucket number, never on a computed start time: a bucket starts at
/// <c>bucket × resolution</c> seconds, so "starts at or after t" is "bucket ≥ ⌈t / width⌉" and the
/// bound is one integer comparison the key or index can use.
/// </remarks>
internal static class RollupStoreRules
{
    private const long NanosPerSecond = 1_000_000_000;

    /// <summary>60, 3600 or 86400 (<see cref="RollupRow.ResolutionSeconds"/>).</summary>
    public static bool IsResolution(int seconds) => seconds is 60 or 3600 or 86400;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> (a caller's mistake) unless <paramref name="seconds"/> is a resolution.</summary>
    public static void RequireResolution(int seconds, string parameterName)
    {
        if (!IsResolution(seconds))
        {
            throw new ArgumentOutOfRangeException(parameterName, seconds, "a rollup resolution is 60, 3600 or 86400 seconds");
        }
    }

    /// <summary>Checks a read request's resolution and tenant; false when no stored row can match it
    /// (its tenant or metric holds U+0000, which no store accepts), so the store answers with no rows.</summary>
    public static bool Require(RollupReadRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.TenantId, nameof(request));
        RequireResolution(request.ResolutionSeconds, nameof(request));
        return !HasNul(request.TenantId) && !(request.Metric is { } metric && HasNul(metric));
    }

    private static bool HasNul(string text) => text.Contains('\0', StringComparison.Ordinal);

    /// <summary>The first bucket of <paramref name="resolutionSeconds"/> that starts at or after <paramref name="unixNano"/>: ⌈t / width⌉.</summary>
    public static long FirstBucketFrom(long unixNano, int resolutionSeconds) => CeilingDivide(unixNano, resolutionSeconds * NanosPerSecond);

    /// <summary>The first bucket starting at or after <paramref name="cutoff"/>; retention deletes every bucket below it.</summary>
    /// <remarks>In ticks, not nanoseconds: every <see cref="DateTimeOffset"/> fits (year 9999 in nanoseconds would not).</remarks>
    public static long FirstBucketFrom(DateTimeOffset cutoff, int resolutionSeconds) =>
        CeilingDivide(cutoff.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks, resolutionSeconds * TimeSpan.TicksPerSecond);

    // Integer division truncates toward zero, which is already the ceiling for a negative dividend.
    private static long CeilingDivide(long value, long width)
    {
        long quotient = value / width;
        return value > 0 && value % width != 0 ? quotient + 1 : quotient;
    }

    /// <summary>
    /// Throws <see cref="StoreRejectedException"/> for the first row no store can hold as given — a
    /// resolution other than 60/3600/86400, a negative part or version (WAL positions; ClickHouse keeps
    /// them unsigned), null text, text holding U+0000 (refused by every store alike, though only
    /// PostgreSQL has to) — or a negative <paramref name="checkpoint"/>. Checked before anything
    /// is written, so a refused flush writes nothing anywhere.
    /// </summary>
    public static void RequireStorable(IReadOnlyList<RollupRow> rows, long checkpoint, string store)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (checkpoint < 0)
        {
            Refuse(store, $"the checkpoint {checkpoint} is negative");
        }

        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            string? problem = row is null ? "it is null"
                : !IsResolution(row.ResolutionSeconds) ? $"resolution {row.ResolutionSeconds} s is not 60, 3600 or 86400"
                : row.Part < 0 ? $"part {row.Part} is negative"
                : row.Version < 0 ? $"version {row.Version} is negative"
                : row.TenantId is null || row.Metric is null || row.SeriesKey is null || row.Sketch is null ? "a text or sketch field is null"
                : HasNul(row.TenantId) || HasNul(row.Metric) || HasNul(row.SeriesKey) ? "its text holds U+0000, which PostgreSQL text cannot store"
                : null;
            if (problem is not null)
            {
                Refuse(store, $"rollup row {i} of {rows.Count} cannot be stored: {problem}");
            }
        }
    }

    private static void Refuse(string store, string problem)
    {
        string message = $"{store}: {problem}.";
        throw new StoreRejectedException(message, message);
    }
}
