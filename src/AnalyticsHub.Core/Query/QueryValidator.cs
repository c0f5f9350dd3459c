using System.Globalization;
using AnalyticsHub.Core.Rollups;

namespace AnalyticsHub.Core.Query;

/// <summary>
/// Turns a <see cref="QuerySpec"/> into a <see cref="MetricQuery"/>, or into every error found
/// (each with the path of the offending part and what to change). Pure: the clock is passed in.
/// <list type="bullet">
/// <item>tenant_id: <c>default</c> when absent; 1–128 of [A-Za-z0-9._-].</item>
/// <item>metric (1–256 characters) or composite (<c>cost_per_request</c>, <c>error_adjusted_throughput</c>,
/// <c>cost_per_1k_tokens</c>); with a composite, metric restricts it to one metric, and functions must be empty.</item>
/// <item>time_range: required; start before end; span ≤ <see cref="QueryLimits.MaxRange"/>; relative resolved
/// against <c>now</c>. The start is aligned down and the end up to the bucket width (to the minute without
/// a bucket), buckets counted from the Unix epoch in UTC; span ÷ bucket ≤ <see cref="QueryLimits.MaxPointsPerSeries"/>.</item>
/// <item>aggregation: functions (at least one, no repeats), time_bucket 1m/5m/15m/1h/1d, group_by
/// (≤ <see cref="QueryLimits.MaxGroupBy"/> distinct fields, not event_id).</item>
/// <item>filters: see <see cref="FilterRules"/> and <see cref="QueryFilter"/>.</item>
/// <item>order_by: a requested function, a group_by field, or the composite's name; <c>asc</c>/<c>desc</c>,
/// by default descending for functions and the composite, ascending for fields.</item>
/// <item>limit: 0 → <see cref="QueryLimits.DefaultLimit"/>; at most <see cref="QueryLimits.MaxLimit"/>.</item>
/// </list>
/// </summary>
public static class QueryValidator
{
    public const int MaxMetricLength = 256;

    public static Validated<MetricQuery> Validate(QuerySpec spec, DateTimeOffset now, QueryLimits limits, SeriesDimensions dimensions)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(dimensions);
        var errors = new List<QueryError>();
        var resolver = new QueryFieldResolver(dimensions);

        var tenant = TenantRule.Resolve(spec.TenantId, "tenant_id", errors);
        var composite = ResolveComposite(spec, errors);
        var metric = ResolveMetric(spec, errors);
        var bucketSeconds = ResolveBucket(spec.TimeBucket, errors, out var bucketOk);
        var (start, end) = ResolveRange(spec.TimeRange, now, limits, bucketOk ? bucketSeconds : -1, errors);
        var functions = ResolveFunctions(spec.Functions, composite, !string.IsNullOrEmpty(spec.Composite), errors);
        var filters = FilterRules.Resolve(spec.Filters, "filters", resolver, limits, errors);
        var groupBy = ResolveGroupBy(spec.GroupBy, resolver, limits, errors);
        var orderBy = ResolveOrderBy(spec.OrderBy, composite, functions, groupBy, resolver, errors);
        var limit = ResolveLimit(spec.Limit, limits, errors);
        var format = ResolveFormat(spec.Format, errors);

        if (errors.Count > 0)
        {
            return Validated<MetricQuery>.Fail(errors);
        }

        return Validated<MetricQuery>.Ok(new MetricQuery
        {
            TenantId = tenant,
            Metric = metric,
            Composite = composite,
            StartUnixNano = start,
            EndUnixNano = end,
            Filters = filters,
            Functions = functions,
            BucketSeconds = bucketSeconds,
            GroupBy = groupBy,
            OrderBy = orderBy,
            Limit = limit,
            Format = format,
            NormalizedKey = QueryKey.Of(tenant, metric, composite, start, end, bucketSeconds, filters, functions, groupBy, orderBy, limit),
        });
    }

    private static ResultFormat ResolveFormat(string? text, List<QueryError> errors)
    {
        switch (text)
        {
            case null or "" or "points":
                return ResultFormat.Points;
            case "columns":
                return ResultFormat.Columns;
            default:
                errors.Add(new("format", $"format {QueryNames.Quote(text)} is not supported; use points (one object per bucket) or columns (one array per value, for long answers)"));
                return ResultFormat.Points;
        }
    }

    private static CompositeMetric ResolveComposite(QuerySpec spec, List<QueryError> errors)
    {
        if (string.IsNullOrEmpty(spec.Composite))
        {
            return CompositeMetric.None;
        }

        if (!QueryNames.TryParseComposite(spec.Composite, out var composite))
        {
            errors.Add(new("composite", $"{QueryNames.Quote(spec.Composite)} is not a composite metric; use one of {QueryNames.Composites}, or query a metric with metric"));
        }

        return composite;
    }

    private static string? ResolveMetric(QuerySpec spec, List<QueryError> errors)
    {
        if (string.IsNullOrEmpty(spec.Metric))
        {
            if (string.IsNullOrEmpty(spec.Composite))
            {
                errors.Add(new("metric", $"metric is required: name the metric to aggregate (e.g. latency_ms), or give composite ({QueryNames.Composites})"));
            }

            return null;
        }

        NameRule.Check(spec.Metric, MaxMetricLength, "metric", "a metric name", errors);
        return spec.Metric;
    }

    private static long ResolveBucket(string? text, List<QueryError> errors, out bool ok)
    {
        ok = true;
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        if (QueryNames.TryParseBucket(text, out var seconds))
        {
            return seconds;
        }

        errors.Add(new("aggregation.time_bucket", $"aggregation.time_bucket {QueryNames.Quote(text)} is not supported; use one of {QueryNames.Buckets} (or omit it for one value over the whole range)"));
        ok = false;
        return 0;
    }

    /// <summary>The aligned range; <paramref name="bucketSeconds"/> -1 when the bucket was invalid (no points check).</summary>
    private static (long Start, long End) ResolveRange(TimeRangeSpec? spec, DateTimeOffset now, QueryLimits limits, long bucketSeconds, List<QueryError> errors)
    {
        if (spec is null || spec.IsEmpty)
        {
            errors.Add(new("time_range", "time_range is required; give {\"start\": \"2026-11-23T00:00:00Z\", \"end\": \"2026-11-24T00:00:00Z\"} or a relative range such as \"last 24h\""));
            return (0, 0);
        }

        if (!TimeRangeRules.TryResolve(spec, now, limits, TimeRangePaths.Query, errors, out var start, out var end))
        {
            return (0, 0);
        }

        if (bucketSeconds > 0)
        {
            var bucketNanos = bucketSeconds * TimeRangeRules.NanosPerSecond;
            var span = end - start;
            var points = (span / bucketNanos) + (span % bucketNanos == 0 ? 0 : 1);
            if (points > limits.MaxPointsPerSeries)
            {
                errors.Add(new("time_range", string.Create(
                    CultureInfo.InvariantCulture,
                    $"the time range spans {TimeRangeRules.DescribeNanos(span)} at {QueryNames.BucketName(bucketSeconds)} buckets = {points:N0} points per series, above the {limits.MaxPointsPerSeries:N0} limit; use a larger time_bucket or a shorter range")));
            }
        }

        var width = (bucketSeconds > 0 ? bucketSeconds : 60) * TimeRangeRules.NanosPerSecond;
        start -= start % width;
        if (end % width != 0)
        {
            end += width - (end % width);
        }

        return (start, end);
    }

    private static AggregateFunction[] ResolveFunctions(IReadOnlyList<string> names, CompositeMetric composite, bool compositeGiven, List<QueryError> errors)
    {
        if (composite != CompositeMetric.None || compositeGiven)
        {
            // An unknown composite is reported on its own; whether functions were meant cannot be known.
            if (composite != CompositeMetric.None && names.Count > 0)
            {
                errors.Add(new("aggregation.functions", $"a composite ({QueryNames.Name(composite)}) is its own value; remove aggregation.functions, or query a metric instead of the composite"));
            }

            return [];
        }

        if (names.Count == 0)
        {
            errors.Add(new("aggregation.functions", $"aggregation.functions is required; give at least one of {QueryNames.Functions}"));
            return [];
        }

        var functions = new List<AggregateFunction>(names.Count);
        for (var i = 0; i < names.Count; i++)
        {
            var path = $"aggregation.functions[{i}]";
            var name = names[i] ?? "";
            if (!QueryNames.TryParseFunction(name, out var function))
            {
                errors.Add(new(path, $"{QueryNames.Quote(name)} is not a function; use one of {QueryNames.Functions}"));
            }
            else if (functions.Contains(function))
            {
                errors.Add(new(path, $"{QueryNames.Name(function)} is asked for twice; list each function once"));
            }
            else
            {
                functions.Add(function);
            }
        }

        return [.. functions];
    }

    private static QueryField[] ResolveGroupBy(IReadOnlyList<string> names, QueryFieldResolver resolver, QueryLimits limits, List<QueryError> errors)
    {
        if (names.Count > limits.MaxGroupBy)
        {
            errors.Add(new("aggregation.group_by", $"{names.Count} group_by fields given; at most {limits.MaxGroupBy} are allowed: group by fewer fields"));
        }

        var fields = new List<QueryField>(names.Count);
        for (var i = 0; i < names.Count; i++)
        {
            var path = $"aggregation.group_by[{i}]";
            if (!resolver.TryResolve(names[i], out var field, out var error))
            {
                errors.Add(new(path, error));
            }
            else if (field.Kind == FieldKind.EventId)
            {
                errors.Add(new(path, "group_by event_id would make one group per event; search events instead (GET /api/v1/events, QueryService.SearchEvents), or group by a field events share"));
            }
            else if (fields.Exists(f => f.Name == field.Name))
            {
                errors.Add(new(path, $"{field.Name} is already in group_by; list each field once"));
            }
            else
            {
                fields.Add(field);
            }
        }

        return [.. fields];
    }

    private static QueryOrder[] ResolveOrderBy(
        IReadOnlyList<OrderSpec> specs,
        CompositeMetric composite,
        AggregateFunction[] functions,
        QueryField[] groupBy,
        QueryFieldResolver resolver,
        List<QueryError> errors)
    {
        var orders = new List<QueryOrder>(specs.Count);
        var choices = string.Join(", ", (composite != CompositeMetric.None ? [QueryNames.Name(composite)] : functions.Select(QueryNames.Name))
            .Concat(groupBy.Select(g => g.Name)));
        for (var i = 0; i < specs.Count; i++)
        {
            var path = $"order_by[{i}]";
            var text = specs[i].Field ?? "";
            QueryOrder? order = null;
            if (text.Length == 0)
            {
                errors.Add(new(path + ".field", $"order_by needs a field; use one of {choices}"));
            }
            else if (composite != CompositeMetric.None && QueryNames.TryParseComposite(text, out var named) && named == composite)
            {
                order = new QueryOrder(null, null, true);
            }
            else if (QueryNames.TryParseFunction(text, out var function))
            {
                if (Array.IndexOf(functions, function) >= 0)
                {
                    order = new QueryOrder(function, null, true);
                }
                else if (composite != CompositeMetric.None)
                {
                    errors.Add(new(path + ".field", $"a composite query has no functions to order by; order by one of {choices}"));
                }
                else
                {
                    errors.Add(new(path + ".field", $"{QueryNames.Name(function)} is not a requested function; add it to aggregation.functions or order by one of {choices}"));
                }
            }
            else if (resolver.TryResolve(text, out var field, out _) && Array.Exists(groupBy, g => g.Name == field.Name))
            {
                order = new QueryOrder(null, field, false);
            }
            else
            {
                errors.Add(new(path + ".field", $"{QueryNames.Quote(text)} is neither a requested function nor a group_by field; order by one of {(choices.Length > 0 ? choices : "(nothing: no functions or group_by)")}"));
            }

            var direction = specs[i].Direction;
            if (!string.IsNullOrEmpty(direction))
            {
                var trimmed = direction.Trim();
                bool? descending = trimmed.Equals("desc", StringComparison.OrdinalIgnoreCase) || trimmed.Equals("descending", StringComparison.OrdinalIgnoreCase) ? true
                    : trimmed.Equals("asc", StringComparison.OrdinalIgnoreCase) || trimmed.Equals("ascending", StringComparison.OrdinalIgnoreCase) ? false
                    : null;
                if (descending is null)
                {
                    errors.Add(new(path + ".direction", $"direction {QueryNames.Quote(direction)} is not asc or desc; use asc or desc"));
                    order = null;
                }
                else if (order is not null)
                {
                    order = order with { Descending = descending.Value };
                }
            }

            if (order is null)
            {
                continue;
            }

            if (orders.Exists(o => o.Function == order.Function && o.Field?.Name == order.Field?.Name))
            {
                errors.Add(new(path + ".field", $"{QueryNames.Quote(text)} is already in order_by; list each once"));
                continue;
            }

            orders.Add(order);
        }

        return [.. orders];
    }

    private static int ResolveLimit(long limit, QueryLimits limits, List<QueryError> errors)
    {
        if (limit < 0)
        {
            errors.Add(new("limit", string.Create(CultureInfo.InvariantCulture, $"limit {limit:N0} is negative; use 1–{limits.MaxLimit:N0} (0 or absent: {limits.DefaultLimit:N0})")));
            return 0;
        }

        if (limit > limits.MaxLimit)
        {
            errors.Add(new("limit", string.Create(CultureInfo.InvariantCulture, $"limit {limit:N0} is above the {limits.MaxLimit:N0} maximum; use 1–{limits.MaxLimit:N0}, and narrow the query with filters")));
            return 0;
        }

        return limit == 0 ? limits.DefaultLimit : (int)limit;
    }
}
