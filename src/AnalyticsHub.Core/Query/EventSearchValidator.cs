using System.Globalization;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Rollups;

namespace AnalyticsHub.Core.Query;

/// <summary>
/// Turns a <see cref="SearchSpec"/> into an <see cref="EventSearchQuery"/>, or into every error
/// found, with paths named as the query string names them (<c>start</c>, <c>filter[0].op</c>).
/// The range is exact (not aligned); without one, the last 24 hours
/// (<see cref="QueryLimits.DefaultSearchRange"/>) before <c>now</c>. Filters follow the metric
/// query's rules (<see cref="QueryFilter"/>); source_module and event_type shorthands become
/// <c>eq</c>/<c>in</c> filters. Limit 1–<see cref="QueryLimits.MaxSearchLimit"/> (default
/// <see cref="QueryLimits.DefaultSearchLimit"/>); offset 0–<see cref="QueryLimits.MaxSearchOffset"/>,
/// not together with a cursor.
/// </summary>
public static class EventSearchValidator
{
    public const int MaxCorrelationIdLength = 256;

    public static Validated<EventSearchQuery> Validate(SearchSpec spec, DateTimeOffset now, QueryLimits limits, SeriesDimensions dimensions)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(dimensions);
        var errors = new List<QueryError>();
        var resolver = new QueryFieldResolver(dimensions);

        var tenant = TenantRule.Resolve(spec.TenantId, "tenant_id", errors);

        long start = 0, end = 0;
        if (spec.TimeRange is null || spec.TimeRange.IsEmpty)
        {
            end = TimeRangeRules.ToUnixNano(now);
            start = Math.Max(0, end - (limits.DefaultSearchRange.Ticks * 100));
        }
        else
        {
            TimeRangeRules.TryResolve(spec.TimeRange, now, limits, TimeRangePaths.Search, errors, out start, out end);
        }

        var severity = Severity.Unspecified;
        if (!string.IsNullOrEmpty(spec.Severity) && !QueryNames.TryParseSeverity(spec.Severity, out severity))
        {
            errors.Add(new("severity", $"{QueryNames.Quote(spec.Severity)} is not a severity; use one of {QueryNames.Severities} (events at least that severe are returned)"));
        }

        var correlationId = string.IsNullOrEmpty(spec.CorrelationId) ? null : spec.CorrelationId;
        if (correlationId is not null)
        {
            NameRule.Check(correlationId, MaxCorrelationIdLength, "correlation_id", "an id", errors);
        }

        var filters = FilterRules.Resolve(spec.Filters, "filter", resolver, limits, errors);
        AddShorthand(filters, new QueryField(FieldKind.SourceModule, "source_module", ""), spec.SourceModules, "source_module", limits, errors);
        AddShorthand(filters, new QueryField(FieldKind.EventType, "event_type", ""), spec.EventTypes, "event_type", limits, errors);

        var limit = spec.Limit ?? limits.DefaultSearchLimit;
        if (limit < 1 || limit > limits.MaxSearchLimit)
        {
            errors.Add(new("limit", string.Create(CultureInfo.InvariantCulture, $"limit {limit:N0} is outside 1–{limits.MaxSearchLimit:N0}; ask for at most {limits.MaxSearchLimit:N0} events per page and page on with the cursor")));
        }

        var offset = spec.Offset ?? 0;
        if (offset < 0 || offset > limits.MaxSearchOffset)
        {
            errors.Add(new("offset", string.Create(CultureInfo.InvariantCulture, $"offset {offset:N0} is outside 0–{limits.MaxSearchOffset:N0}; to read further, page with the cursor each response returns")));
        }

        SearchCursor? after = null;
        if (!string.IsNullOrEmpty(spec.Cursor))
        {
            if (SearchCursorCodec.TryDecode(spec.Cursor, out var cursor))
            {
                after = cursor;
            }
            else
            {
                errors.Add(new("cursor", "the cursor is not one this server issued (it is damaged or from another version); pass next_cursor from the previous page unchanged, or omit cursor to start from the first page"));
            }

            if (offset > 0)
            {
                errors.Add(new("offset", "offset and cursor cannot be combined; page with the cursor alone (or with offset alone, from the first page)"));
            }
        }

        if (errors.Count > 0)
        {
            return Validated<EventSearchQuery>.Fail(errors);
        }

        return Validated<EventSearchQuery>.Ok(new EventSearchQuery
        {
            TenantId = tenant,
            StartUnixNano = start,
            EndUnixNano = end,
            Filters = filters,
            MinSeverity = severity,
            CorrelationId = correlationId,
            Limit = (int)limit,
            After = after,
            Offset = (int)offset,
        });
    }

    private static void AddShorthand(List<QueryFilter> filters, QueryField field, IReadOnlyList<string> values, string path, QueryLimits limits, List<QueryError> errors)
    {
        if (values.Count > 0 && FilterRules.Shorthand(field, values, path, limits, errors) is { } filter)
        {
            filters.Add(filter);
        }
    }
}
