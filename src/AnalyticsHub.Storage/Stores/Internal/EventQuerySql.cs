using System.Globalization;
using System.Text;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Normalization;
using AnalyticsHub.Core.Query;
using AnalyticsHub.Core.Rollups;
using AnalyticsHub.Core.Validation;

namespace AnalyticsHub.Storage.Stores.Internal;

/// <summary>What a group_by column selects.</summary>
internal enum GroupKind
{
    SourceModule,
    EventType,
    Severity,

    /// <summary>A value: its text and/or number columns (<see cref="GroupColumn.Text"/>, <see cref="GroupColumn.Number"/>).</summary>
    Value,
}

/// <summary>One group_by field as select expressions: an enum column, or a value's text and number.</summary>
internal readonly record struct GroupColumn(GroupKind Kind, string? Text, string? Number)
{
    /// <summary>How many select expressions the field takes.</summary>
    public int Width => Kind == GroupKind.Value ? (Text is null ? 0 : 1) + (Number is null ? 0 : 1) : 1;

    /// <summary>The select expressions, in order (enum column; or text, then number).</summary>
    public IEnumerable<string> Expressions()
    {
        switch (Kind)
        {
            case GroupKind.SourceModule:
                yield return "source_module";
                break;
            case GroupKind.EventType:
                yield return "event_type";
                break;
            case GroupKind.Severity:
                yield return "severity";
                break;
            default:
                if (Text is not null)
                {
                    yield return Text;
                }

                if (Number is not null)
                {
                    yield return Number;
                }

                break;
        }
    }
}

/// <summary>
/// The semantics of <see cref="IEventQueries"/> as SQL, over any <see cref="QuerySqlDialect"/>: fields
/// to values, filters to conditions, group_by fields to select expressions, and the metric selection.
/// Enum fields are decided here (the filter becomes <c>column IN (numbers)</c>), so no store compares names.
/// </summary>
internal static class EventQuerySql
{
    private const int EnumMax = 255;

    private static readonly int[] SourceModules = [.. Enum.GetValues<SourceModule>().Where(m => m != SourceModule.Unspecified).Select(m => (int)m)];
    private static readonly int[] EventTypes = [.. Enum.GetValues<EventType>().Where(t => t != EventType.Unspecified).Select(t => (int)t)];
    private static readonly int[] Severities = [.. Enum.GetValues<Severity>().Where(s => s != Severity.Unspecified).Select(s => (int)s)];

    /// <summary>Refuses text a store cannot take (NUL); every string of a query passes here first.</summary>
    public static void CheckText(string? text, string what)
    {
        if (text is not null && text.Contains('\0', StringComparison.Ordinal))
        {
            throw new QueryRejectedException(QueryRejection.InvalidValue, $"{what} contains a NUL character, which no store can hold or compare");
        }
    }

    public static void CheckFilters(IReadOnlyList<QueryFilter> filters)
    {
        foreach (var filter in filters)
        {
            CheckField(filter.Field);
            foreach (var value in filter.Values)
            {
                CheckText(value, $"the value of the filter on {filter.Field.Name}");
            }
        }
    }

    public static void CheckField(QueryField field)
    {
        CheckText(field.Key, $"the key of {field.Name}");
    }

    /// <summary>All filters as one condition (true when there are none).</summary>
    public static string Filters(QuerySqlDialect sql, IReadOnlyList<QueryFilter> filters, SeriesDimensions dimensions) =>
        QuerySqlDialect.And(filters.Select(f => Condition(sql, f, dimensions)));

    /// <summary>What makes a scanned row a search hit: the filters and the minimum severity, as one condition.</summary>
    public static string SearchHit(QuerySqlDialect sql, EventSearchQuery query, SeriesDimensions dimensions)
    {
        var hit = new List<string> { Filters(sql, query.Filters, dimensions) };
        if (query.MinSeverity != Severity.Unspecified)
        {
            hit.Add($"severity >= {(int)query.MinSeverity}");
        }

        return QuerySqlDialect.And(hit);
    }

    /// <summary>The metric query's event selection (name, event type) as conditions.</summary>
    public static IEnumerable<string> MetricSelection(QuerySqlDialect sql, MetricQuery query)
    {
        switch (query.Composite)
        {
            case CompositeMetric.CostPerRequest or CompositeMetric.CostPer1kTokens:
                yield return $"event_type = {(int)EventType.Cost}";
                break;
            case CompositeMetric.ErrorAdjustedThroughput:
                yield return $"event_type = {(int)EventType.Telemetry}";
                break;
        }

        if (query.Metric is { } metric)
        {
            yield return $"name = {sql.Text(metric)}";
        }
    }

    /// <summary>The measured value: <c>value</c> for telemetry and cost payloads, else 1.</summary>
    public static string MeasuredValue(QuerySqlDialect sql) =>
        sql.Switch([(sql.KindIn(PayloadFields.ValueKinds), "value")], "1.0");

    /// <summary>The bucket start of a row: time floored to <paramref name="bucketSeconds"/> (from the epoch, also before it), or <paramref name="start"/> for 0.</summary>
    public static string Bucket(QuerySqlDialect sql, string time, long bucketSeconds, long start)
    {
        if (bucketSeconds <= 0)
        {
            return sql.Integer(start);
        }

        string width = sql.Integer(checked(bucketSeconds * 1_000_000_000L));
        return $"({time} - ((({time} % {width}) + {width}) % {width}))";
    }

    public static GroupColumn Group(QuerySqlDialect sql, QueryField field, SeriesDimensions dimensions) => field.Kind switch
    {
        FieldKind.SourceModule => new GroupColumn(GroupKind.SourceModule, null, null),
        FieldKind.EventType => new GroupColumn(GroupKind.EventType, null, null),
        FieldKind.Severity => new GroupColumn(GroupKind.Severity, null, null),
        _ => Value(sql, field, dimensions) is var v ? new GroupColumn(GroupKind.Value, v.Text, v.Number) : default,
    };

    /// <summary>
    /// The group columns' select expressions as select items named <paramref name="aliasPrefix"/>0, 1, …
    /// (<c>", expr AS g0, …"</c>), the aliases as a GROUP BY tail (<c>", g0, …"</c>), and how many there are.
    /// </summary>
    public static (string Select, string List, int Width) GroupSelect(GroupColumn[] groups, string aliasPrefix)
    {
        var expressions = groups.SelectMany(g => g.Expressions()).ToArray();
        var aliases = expressions.Select((_, i) => aliasPrefix + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        string select = string.Concat(expressions.Select((e, i) => $", {e} AS {aliases[i]}"));
        string list = string.Concat(aliases.Select(a => ", " + a));
        return (select, list, expressions.Length);
    }

    /// <summary>A group value as results spell it: the enum's name (<c>""</c> for unspecified).</summary>
    public static string EnumName(GroupKind kind, long number) => kind switch
    {
        GroupKind.SourceModule => SourceModuleNames.Name((SourceModule)number),
        GroupKind.EventType => EnumNames.Of((EventType)number),
        _ => EnumNames.Of((Severity)number),
    };

    /// <summary>A group value as results spell it: the text, else the number (shortest round-trip, invariant), else <c>""</c>.</summary>
    public static string ValueText(string? text, double? number) =>
        !string.IsNullOrEmpty(text) ? text
        : number is { } n && double.IsFinite(n) ? n.ToString("R", CultureInfo.InvariantCulture)
        : "";

    /// <summary>What a field's value is, as SQL (not for the enum fields).</summary>
    public static ValueSql Value(QuerySqlDialect sql, QueryField field, SeriesDimensions dimensions)
    {
        switch (field.Kind)
        {
            case FieldKind.Environment:
                return new ValueSql(sql.TextColumn("environment"), null);
            case FieldKind.AssetId:
                return new ValueSql(sql.TextColumn("asset_id"), null);
            case FieldKind.CorrelationId:
                return new ValueSql(sql.TextColumn("correlation_id"), null);
            case FieldKind.ParentEventId:
                return new ValueSql(sql.TextColumn("parent_event_id"), null);
            case FieldKind.EventId:
                return new ValueSql(sql.EventIdText, null);
            case FieldKind.Tag:
                return sql.Json(JsonPlace.Tags, field.Key);
            case FieldKind.PayloadDimension:
                return sql.Json(JsonPlace.PayloadMap, field.Key);
            case FieldKind.SeriesTag:
                return SeriesTag(sql, field.Key, dimensions);
            case FieldKind.Payload:
                return Payload(sql, field.Key);
            default:
                throw new ArgumentOutOfRangeException(nameof(field), field.Kind, "an enum field has no value expression");
        }
    }

    /// <summary>A number the filter value spells (invariant culture, finite), as every store reads a filter value.</summary>
    public static bool TryNumber(string text, out double number) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);

    /// <summary>The text a field of a text column must hold to match a text expression's number, by <see cref="QuerySqlDialect.NumberPattern"/>.</summary>
    public static double? ParseNumberText(string? text)
    {
        if (string.IsNullOrEmpty(text) || !IsNumberText(text))
        {
            return null;
        }

        double value = double.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);
        return double.IsFinite(value) ? value : null;
    }

    private static bool IsNumberText(string text)
    {
        int i = 0;
        if (text[i] == '-')
        {
            i++;
        }

        int digits = Digits(text, ref i);
        if (digits == 0)
        {
            return false;
        }

        if (i < text.Length && text[i] == '.')
        {
            i++;
            if (Digits(text, ref i) == 0)
            {
                return false;
            }
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }

            int exponent = Digits(text, ref i);
            if (exponent is 0 or > 3)
            {
                return false;
            }
        }

        return i == text.Length;

        static int Digits(string text, ref int i)
        {
            int start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            return i - start;
        }
    }

    private static ValueSql SeriesTag(QuerySqlDialect sql, string tag, SeriesDimensions dimensions)
    {
        IReadOnlyList<TagCandidate> candidates = dimensions.IsTag(tag)
            ? dimensions.Candidates(tag)
            : [new TagCandidate(TagSource.Tags, tag), new TagCandidate(TagSource.PayloadMap, tag)];
        var texts = new List<(string, string)>();
        var numbers = new List<(string, string)>();
        foreach (var candidate in candidates)
        {
            var place = candidate.Source == TagSource.Tags ? JsonPlace.Tags : JsonPlace.PayloadMap;
            string has = sql.JsonHas(place, candidate.Key);
            var value = sql.Json(place, candidate.Key);
            texts.Add((has, value.Text ?? sql.NoText));
            numbers.Add((has, value.Number ?? sql.NoNumber));
        }

        return new ValueSql(sql.Switch(texts, sql.NoText), sql.Switch(numbers, sql.NoNumber));
    }

    private static ValueSql Payload(QuerySqlDialect sql, string field)
    {
        var json = sql.Json(JsonPlace.PayloadTop, field);
        var columns = PayloadFields.ColumnsOf(field);
        if (columns.Count == 0)
        {
            return json;
        }

        var texts = new List<(string, string)>();
        var numbers = new List<(string, string)>();
        foreach (var (column, kinds) in columns)
        {
            string condition = sql.KindIn(kinds);
            string name = PayloadFields.Name(column);
            bool number = PayloadFields.IsNumber(column);
            texts.Add((condition, number ? sql.NoText : sql.TextColumn(name)));
            numbers.Add((condition, number ? sql.NumberColumn(name) : sql.NoNumber));
        }

        return new ValueSql(sql.Switch(texts, json.Text ?? sql.NoText), sql.Switch(numbers, json.Number ?? sql.NoNumber));
    }

    private static string Condition(QuerySqlDialect sql, QueryFilter filter, SeriesDimensions dimensions)
    {
        var field = filter.Field;
        switch (field.Kind)
        {
            case FieldKind.SourceModule:
                return EnumCondition(sql, "source_module", SourceModules, filter, ParseModule, m => SourceModuleNames.Name((SourceModule)m), byNumber: false);
            case FieldKind.EventType:
                return EnumCondition(sql, "event_type", EventTypes, filter, ParseEventType, t => EnumNames.Of((EventType)t), byNumber: false);
            case FieldKind.Severity:
                return EnumCondition(sql, "severity", Severities, filter, ParseSeverity, s => EnumNames.Of((Severity)s), byNumber: true);
            case FieldKind.EventId when filter.Operator is FilterOperator.Eq or FilterOperator.In or FilterOperator.Neq:
                var ids = new List<(ulong, ulong)>();
                foreach (var value in filter.Operator == FilterOperator.In ? filter.Values : [filter.Value])
                {
                    if (Uuid.TryParse(Encoding.UTF8.GetBytes(value), out ulong high, out ulong low))
                    {
                        ids.Add((high, low));
                    }
                }

                string equals = ids.Count == 0 ? sql.False : sql.EventIdIn(ids);
                return filter.Operator == FilterOperator.Neq ? "NOT (" + equals + ")" : equals;
            default:
                return ValueCondition(sql, Value(sql, field, dimensions), filter);
        }
    }

    private static string ValueCondition(QuerySqlDialect sql, ValueSql value, QueryFilter filter)
    {
        switch (filter.Operator)
        {
            case FilterOperator.Eq:
                return EqualsAny(sql, value, [filter.Value]);
            case FilterOperator.In:
                return EqualsAny(sql, value, filter.Values);
            case FilterOperator.Neq:
                return sql.Not(EqualsAny(sql, value, [filter.Value]));
            case FilterOperator.Contains:
                return value.Text is null ? sql.False
                    : filter.Value.Length == 0 ? sql.HasText(value.Text)
                    : sql.Contains(value.Text, sql.Text(filter.Value));
            default:
                string op = filter.Operator switch
                {
                    FilterOperator.Gt => ">",
                    FilterOperator.Gte => ">=",
                    FilterOperator.Lt => "<",
                    _ => "<=",
                };
                if (TryNumber(filter.Value, out double number))
                {
                    string? numeric = (value.Number, value.Text) switch
                    {
                        ({ } n, { } t) => sql.CoalesceNumber(n, sql.ParseNumber(t)),
                        ({ } n, null) => n,
                        (null, { } t) => sql.ParseNumber(t),
                        _ => null,
                    };
                    return numeric is null ? sql.False : sql.NumberCompare(numeric, op, number);
                }

                return value.Text is null ? sql.False : sql.TextCompare(value.Text, op, sql.Text(filter.Value));
        }
    }

    private static string EqualsAny(QuerySqlDialect sql, ValueSql value, IReadOnlyList<string> values)
    {
        var parts = new List<string>();
        if (value.Text is { } text)
        {
            foreach (var v in values.Where(v => v.Length > 0).Distinct(StringComparer.Ordinal))
            {
                parts.Add(sql.TextCompare(text, "=", sql.Text(v)));
            }
        }

        if (value.Number is { } numberExpression)
        {
            var numbers = new List<double>();
            foreach (var v in values)
            {
                if (TryNumber(v, out double n) && !numbers.Contains(n))
                {
                    numbers.Add(n);
                }
            }

            parts.AddRange(numbers.Select(n => sql.NumberCompare(numberExpression, "=", n)));
        }

        return sql.Or(parts);
    }

    /// <summary>
    /// An enum filter decided in C#: the set of enum numbers the operator accepts, as <c>column IN (…)</c>;
    /// neq as <c>NOT IN</c> the eq set (so unspecified and unknown numbers match neq only).
    /// </summary>
    private static string EnumCondition(QuerySqlDialect sql, string column, int[] known, QueryFilter filter, Func<string, int?> parse, Func<int, string> name, bool byNumber)
    {
        var accepted = new SortedSet<int>();
        switch (filter.Operator)
        {
            case FilterOperator.Eq or FilterOperator.Neq or FilterOperator.In:
                foreach (var value in filter.Operator == FilterOperator.In ? filter.Values : [filter.Value])
                {
                    if (parse(value) is int n && n != 0)
                    {
                        accepted.Add(n);
                    }
                }

                break;
            case FilterOperator.Contains:
                accepted.UnionWith(known.Where(k => name(k).Contains(filter.Value, StringComparison.Ordinal)));
                break;
            default:
                int? bound = byNumber || TryNumber(filter.Value, out _) ? parse(filter.Value) : null;
                Func<int, int> compare = bound is int b
                    ? k => k.CompareTo(b)
                    : k => string.CompareOrdinal(name(k), filter.Value);
                if (bound is null && byNumber)
                {
                    break; // severity compares by number only: nothing is above or below an unknown word
                }

                accepted.UnionWith(known.Where(k => filter.Operator switch
                {
                    FilterOperator.Gt => compare(k) > 0,
                    FilterOperator.Gte => compare(k) >= 0,
                    FilterOperator.Lt => compare(k) < 0,
                    _ => compare(k) <= 0,
                }));
                break;
        }

        string inSet = accepted.Count == 0 ? sql.False : $"{column} IN ({string.Join(", ", accepted)})";
        return filter.Operator == FilterOperator.Neq ? (accepted.Count == 0 ? sql.True : $"{column} NOT IN ({string.Join(", ", accepted)})") : inSet;
    }

    private static int? ParseModule(string text) =>
        SourceModuleNames.TryParseModule(text, out var module) ? (int)module : ParseEnumNumber(text);

    private static int? ParseEventType(string text) =>
        EnumNames.TryParse(text, out EventType type) ? (int)type : ParseEnumNumber(text);

    private static int? ParseSeverity(string text) =>
        SeverityMapper.TryMap(Encoding.UTF8.GetBytes(text), out var severity) ? (int)severity : ParseEnumNumber(text);

    private static int? ParseEnumNumber(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n <= EnumMax ? n : null;
}
