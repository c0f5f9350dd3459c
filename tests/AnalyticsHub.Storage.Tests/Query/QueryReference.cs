using System.Globalization;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Query;
using AnalyticsHub.Core.Rollups;

namespace AnalyticsHub.Storage.Tests.Query;

/// <summary>
/// The query semantics of <c>IEventQueries</c> written again, plainly, over <see cref="ScenarioEvent"/>s:
/// what every store must return. Independent of the stores' SQL builder on purpose (its own payload
/// field table, its own number grammar).
/// </summary>
public static class QueryReference
{
    private static readonly Dictionary<(PayloadKind, string), string> Columns = new()
    {
        [(PayloadKind.Telemetry, "metric_name")] = "name",
        [(PayloadKind.Telemetry, "metric_value")] = "value",
        [(PayloadKind.Telemetry, "unit")] = "unit",
        [(PayloadKind.Security, "threat_type")] = "name",
        [(PayloadKind.Security, "threat_level")] = "unit",
        [(PayloadKind.Cost, "cost_type")] = "name",
        [(PayloadKind.Cost, "amount")] = "value",
        [(PayloadKind.Cost, "currency")] = "unit",
        [(PayloadKind.Cost, "input_tokens")] = "input_tokens",
        [(PayloadKind.Cost, "output_tokens")] = "output_tokens",
        [(PayloadKind.Governance, "governance_type")] = "name",
        [(PayloadKind.Governance, "outcome")] = "unit",
        [(PayloadKind.Metadata, "change_type")] = "name",
        [(PayloadKind.Metadata, "version")] = "unit",
        [(PayloadKind.Policy, "policy_id")] = "name",
        [(PayloadKind.Policy, "decision")] = "unit",
        [(PayloadKind.Policy, "score")] = "value",
        [(PayloadKind.Custom, "type_name")] = "name",
    };

    public static IEnumerable<ScenarioEvent> InScope(string tenant, long start, long end) =>
        QueryScenario.Events.Where(e => e.Tenant == tenant && e.TimeNs >= start && e.TimeNs < end);

    /// <summary>Newest first: time, then event id, both descending (ids compare as their lower-case text).</summary>
    public static List<ScenarioEvent> Search(EventSearchQuery query, SeriesDimensions dimensions) =>
        [.. InScope(query.TenantId, query.StartUnixNano, query.EndUnixNano)
            .Where(e => query.MinSeverity == Severity.Unspecified || e.Severity >= query.MinSeverity)
            .Where(e => string.IsNullOrEmpty(query.CorrelationId) || e.CorrelationId == query.CorrelationId)
            .Where(e => query.Filters.All(f => Matches(e, f, dimensions)))
            .OrderByDescending(e => e.TimeNs).ThenByDescending(e => e.Id, StringComparer.Ordinal)];

    public static bool Matches(ScenarioEvent e, QueryFilter filter, SeriesDimensions dimensions)
    {
        var field = filter.Field;
        if (field.Kind is FieldKind.SourceModule or FieldKind.EventType or FieldKind.Severity)
        {
            return MatchesEnum(e, filter);
        }

        if (field.Kind == FieldKind.EventId && filter.Operator is FilterOperator.Eq or FilterOperator.In or FilterOperator.Neq)
        {
            bool any = (filter.Operator == FilterOperator.In ? filter.Values : [filter.Value])
                .Any(v => Guid.TryParse(v, out var g) && v.Length == 36 && g.ToString("D") == e.Id);
            return filter.Operator == FilterOperator.Neq ? !any : any;
        }

        var (text, number) = Value(e, field, dimensions);
        bool Eq(string v) => (text is not null && v.Length > 0 && text == v) || (number is { } n && TryNumber(v, out double d) && n == d);
        switch (filter.Operator)
        {
            case FilterOperator.Eq:
                return Eq(filter.Value);
            case FilterOperator.In:
                return filter.Values.Any(Eq);
            case FilterOperator.Neq:
                return !Eq(filter.Value);
            case FilterOperator.Contains:
                return text is not null && text.Contains(filter.Value, StringComparison.Ordinal);
        }

        if (TryNumber(filter.Value, out double bound))
        {
            double? x = number ?? NumberOfText(text);
            return x is { } value && Compare(value.CompareTo(bound), filter.Operator);
        }

        return text is not null && Compare(CompareUtf8(text, filter.Value), filter.Operator);
    }

    /// <summary>(text, number) of a field; both null when missing.</summary>
    public static (string? Text, double? Number) Value(ScenarioEvent e, QueryField field, SeriesDimensions dimensions)
    {
        switch (field.Kind)
        {
            case FieldKind.Environment:
                return (NullIfEmpty(e.Environment), null);
            case FieldKind.AssetId:
                return (NullIfEmpty(e.AssetId), null);
            case FieldKind.CorrelationId:
                return (NullIfEmpty(e.CorrelationId), null);
            case FieldKind.ParentEventId:
                return (NullIfEmpty(e.ParentEventId), null);
            case FieldKind.EventId:
                return (e.Id, null);
            case FieldKind.Tag:
                return e.Tags.Where(t => t.Key == field.Key).Select(t => (NullIfEmpty(t.Value), (double?)null)).FirstOrDefault();
            case FieldKind.PayloadDimension:
                return e.Map.Where(t => t.Key == field.Key).Select(t => (NullIfEmpty(t.Value), (double?)null)).FirstOrDefault();
            case FieldKind.SeriesTag:
                var candidates = dimensions.IsTag(field.Key)
                    ? dimensions.Candidates(field.Key)
                    : [new TagCandidate(TagSource.Tags, field.Key), new TagCandidate(TagSource.PayloadMap, field.Key)];
                foreach (var c in candidates)
                {
                    var pairs = c.Source == TagSource.Tags ? e.Tags : e.Map;
                    foreach (var (k, v) in pairs)
                    {
                        if (k == c.Key)
                        {
                            return (NullIfEmpty(v), null);
                        }
                    }
                }

                return (null, null);
            case FieldKind.Payload:
                if (Columns.TryGetValue((e.PayloadKind, field.Key), out var column))
                {
                    return column switch
                    {
                        "name" => (NullIfEmpty(e.Name), null),
                        "unit" => (NullIfEmpty(e.Unit), null),
                        "value" => (null, double.IsNaN(e.Value) ? null : e.Value),
                        "input_tokens" => (null, e.InputTokens),
                        _ => (null, e.OutputTokens),
                    };
                }

                foreach (var (k, v) in e.PayloadBefore.Concat(e.PayloadAfter))
                {
                    if (k == field.Key)
                    {
                        return v switch
                        {
                            { Text: { } t } => (NullIfEmpty(t), null),
                            { Number: { } n } => (null, n),
                            { Flag: { } f } => (f ? "true" : "false", null),
                            _ => (null, null),
                        };
                    }
                }

                return (null, null);
            default:
                throw new ArgumentOutOfRangeException(nameof(field));
        }
    }

    /// <summary>A group value as results spell it.</summary>
    public static string GroupValue(ScenarioEvent e, QueryField field, SeriesDimensions dimensions) => field.Kind switch
    {
        FieldKind.SourceModule => SourceModuleNames.Name(e.SourceModule),
        FieldKind.EventType => EnumNames.Of(e.EventType),
        FieldKind.Severity => EnumNames.Of(e.Severity),
        _ => Value(e, field, dimensions) switch
        {
            ({ } t, _) => t,
            (null, { } n) => n.ToString("R", CultureInfo.InvariantCulture),
            _ => "",
        },
    };

    /// <summary>The events a metric query measures, with their bucket and group.</summary>
    public static List<(long Bucket, string[] Group, double Value, ScenarioEvent Event)> Measured(MetricQuery query, SeriesDimensions dimensions)
    {
        var rows = new List<(long, string[], double, ScenarioEvent)>();
        foreach (var e in InScope(query.TenantId, query.StartUnixNano, query.EndUnixNano))
        {
            bool selected = query.Composite switch
            {
                CompositeMetric.CostPerRequest or CompositeMetric.CostPer1kTokens => e.EventType == EventType.Cost,
                CompositeMetric.ErrorAdjustedThroughput => e.EventType == EventType.Telemetry,
                _ => true,
            } && (query.Metric is null || e.Name == query.Metric);
            double value = e.PayloadKind is PayloadKind.Telemetry or PayloadKind.Cost ? e.Value : 1.0;
            if (!selected || !double.IsFinite(value) || !query.Filters.All(f => Matches(e, f, dimensions)))
            {
                continue;
            }

            long width = query.BucketSeconds * 1_000_000_000L;
            long bucket = query.BucketSeconds == 0 ? query.StartUnixNano : e.TimeNs - (((e.TimeNs % width) + width) % width);
            rows.Add((bucket, [.. query.GroupBy.Select(g => GroupValue(e, g, dimensions))], value, e));
        }

        return rows;
    }

    /// <summary>The exact value of rank ⌊q·(n−1)⌋ (the sketches' rank definition).</summary>
    public static double ExactQuantile(IEnumerable<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        return sorted[(int)Math.Floor(q * (sorted.Length - 1))];
    }

    public static bool TryNumber(string text, out double number) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);

    private static bool MatchesEnum(ScenarioEvent e, QueryFilter filter)
    {
        var (number, name, all) = filter.Field.Kind switch
        {
            FieldKind.SourceModule => ((int)e.SourceModule, SourceModuleNames.Name(e.SourceModule), Enumerable.Range(1, 6).Select(n => (n, SourceModuleNames.Name((SourceModule)n)))),
            FieldKind.EventType => ((int)e.EventType, EnumNames.Of(e.EventType), Enumerable.Range(1, 6).Select(n => (n, EnumNames.Of((EventType)n)))),
            _ => ((int)e.Severity, EnumNames.Of(e.Severity), Enumerable.Range(1, 5).Select(n => (n, EnumNames.Of((Severity)n)))),
        };
        int? Parse(string v) => all.Where(a => string.Equals(a.Item2, v, StringComparison.OrdinalIgnoreCase)).Select(a => (int?)a.Item1).FirstOrDefault()
            ?? (filter.Field.Kind == FieldKind.SourceModule && v.StartsWith("LLM_", StringComparison.Ordinal) ? all.Where(a => a.Item2.Replace("-", "_", StringComparison.Ordinal).Equals(v, StringComparison.OrdinalIgnoreCase)).Select(a => (int?)a.Item1).FirstOrDefault() : null)
            ?? (int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : null);
        bool present = number != 0;
        switch (filter.Operator)
        {
            case FilterOperator.Eq:
                return present && Parse(filter.Value) == number;
            case FilterOperator.In:
                return present && filter.Values.Any(v => Parse(v) == number);
            case FilterOperator.Neq:
                return !(present && Parse(filter.Value) == number);
            case FilterOperator.Contains:
                return present && name.Contains(filter.Value, StringComparison.Ordinal);
        }

        if (!present)
        {
            return false;
        }

        bool byNumber = filter.Field.Kind == FieldKind.Severity || TryNumber(filter.Value, out _);
        if (byNumber)
        {
            return Parse(filter.Value) is int bound && Compare(number.CompareTo(bound), filter.Operator);
        }

        return Compare(string.CompareOrdinal(name, filter.Value), filter.Operator);
    }

    private static bool Compare(int comparison, FilterOperator op) => op switch
    {
        FilterOperator.Gt => comparison > 0,
        FilterOperator.Gte => comparison >= 0,
        FilterOperator.Lt => comparison < 0,
        _ => comparison <= 0,
    };

    private static int CompareUtf8(string a, string b) =>
        System.Text.Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(System.Text.Encoding.UTF8.GetBytes(b));

    private static double? NumberOfText(string? text)
    {
        if (text is null || !System.Text.RegularExpressions.Regex.IsMatch(text, @"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]{1,3})?$"))
        {
            return null;
        }

        double value = double.Parse(text, CultureInfo.InvariantCulture);
        return double.IsFinite(value) ? value : null;
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;
}
