using System.Text;
using AnalyticsHub.Core.Query;
using AnalyticsHub.Core.Rollups;
using AnalyticsHub.Core.Validation;

namespace AnalyticsHub.Storage.Stores.Internal;

/// <summary>What every store checks before running a query (the query, then the dimensions), and the event id's text form.</summary>
internal static class EventQueryChecks
{
    public const int MaxLimit = 1000;

    public static void Check(EventSearchQuery query, SeriesDimensions dimensions)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, MaxLimit, nameof(query));
        ArgumentOutOfRangeException.ThrowIfNegative(query.Offset, nameof(query));
        EventQuerySql.CheckText(query.TenantId, "the tenant");
        EventQuerySql.CheckText(query.CorrelationId, "the correlation id");
        EventQuerySql.CheckFilters(query.Filters);
        if (query.After is { } after)
        {
            CursorId(after);
        }

        ArgumentNullException.ThrowIfNull(dimensions);
    }

    public static void Check(MetricQuery query, SeriesDimensions dimensions)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.BucketSeconds, nameof(query));
        EventQuerySql.CheckText(query.TenantId, "the tenant");
        EventQuerySql.CheckText(query.Metric, "the metric");
        EventQuerySql.CheckFilters(query.Filters);
        foreach (var field in query.GroupBy)
        {
            EventQuerySql.CheckField(field);
        }

        ArgumentNullException.ThrowIfNull(dimensions);
    }

    /// <summary>The cursor's event id as UUID halves; a cursor that is not one is refused.</summary>
    public static (ulong High, ulong Low) CursorId(SearchCursor cursor) =>
        cursor.EventId is { } id && Uuid.TryParse(Encoding.UTF8.GetBytes(id), out ulong high, out ulong low)
            ? (high, low)
            : throw new QueryRejectedException(QueryRejection.InvalidValue, "the search cursor is malformed: its event id is not a UUID");

    /// <summary>The canonical lower-case text of a UUID (<c>xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx</c>).</summary>
    public static string FormatId(ulong high, ulong low) => string.Create(36, (high, low), static (chars, id) =>
    {
        const string Hex = "0123456789abcdef";
        int at = 0;
        for (int i = 0; i < 32; i++)
        {
            if (i is 8 or 12 or 16 or 20)
            {
                chars[at++] = '-';
            }

            ulong half = i < 16 ? id.high : id.low;
            int shift = 60 - (4 * (i % 16));
            chars[at++] = Hex[(int)((half >> shift) & 0xF)];
        }
    });
}
