using System.Globalization;
using AnalyticsHub.Storage.Stores.Internal;
using Npgsql;
using NpgsqlTypes;

namespace AnalyticsHub.Storage.Stores.Postgres.Internal;

/// <summary>
/// PostgreSQL's side of <see cref="QuerySqlDialect"/>: every value a typed positional parameter
/// (<c>$n</c>), missing values as NULL, JSON through <c>-&gt;</c> and <c>json(b)_typeof</c> (works on
/// both column types), ordering comparisons under <c>COLLATE "C"</c> (bytewise, as the other stores).
/// </summary>
internal sealed class PostgresQuerySql : QuerySqlDialect
{
    private readonly List<NpgsqlParameter> _parameters = [];
    private readonly Dictionary<string, string> _texts = new(StringComparer.Ordinal);
    private readonly string _typeOf;

    public PostgresQuerySql(PostgresJsonType json)
    {
        _typeOf = json == PostgresJsonType.Json ? "json_typeof" : "jsonb_typeof";
    }

    public IReadOnlyList<NpgsqlParameter> Parameters => _parameters;

    public override string True => "TRUE";

    public override string False => "FALSE";

    public override string NoText => "NULL::text";

    public override string NoNumber => "NULL::float8";

    public override string EventIdText => "event_id::text";

    /// <summary>The event time in Unix nanoseconds: <c>time</c> (microseconds, rounded exactly whether EXTRACT gives numeric or float8) and <c>time_ns</c>.</summary>
    public static string Time(string time = "time", string nanos = "time_ns") =>
        $"(round(EXTRACT(EPOCH FROM {time}) * 1000000)::bigint * 1000 + {nanos})";

    public override string Text(string value)
    {
        if (!_texts.TryGetValue(value, out var name))
        {
            name = Add(new NpgsqlParameter<string> { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Text });
            _texts.Add(value, name);
        }

        return name;
    }

    public override string Real(double value) => Add(new NpgsqlParameter<double> { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Double });

    public override string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    public string Timestamp(DateTime utc) => Add(new NpgsqlParameter<DateTime> { TypedValue = utc, NpgsqlDbType = NpgsqlDbType.TimestampTz });

    public string Uuid(Guid id) => Add(new NpgsqlParameter<Guid> { TypedValue = id, NpgsqlDbType = NpgsqlDbType.Uuid });

    public override string HasText(string text) => $"{text} IS NOT NULL";

    public override string TextColumn(string column) => $"NULLIF({column}, '')";

    public override string NumberColumn(string column) => column == "value" ? "NULLIF(value, 'NaN'::float8)" : $"{column}::float8";

    public override ValueSql Json(JsonPlace place, string key)
    {
        string value = $"({Document(place)} -> {Text(key)})";
        return new ValueSql(
            $"(CASE {_typeOf}({value}) WHEN 'string' THEN NULLIF({value} #>> '{{}}', '') WHEN 'boolean' THEN {value} #>> '{{}}' END)",
            $"(CASE WHEN {_typeOf}({value}) = 'number' THEN ({value} #>> '{{}}')::float8 END)");
    }

    public override string JsonHas(JsonPlace place, string key) => $"({Document(place)} -> {Text(key)}) IS NOT NULL";

    // Nested CASEs: PostgreSQL evaluates a CASE's branches in order (AND does not promise to), and
    // float8 refuses what overflows or underflows to 0, where C# gives ±∞ (missing here) or 0.
    public override string ParseNumber(string text) =>
        $"(CASE WHEN {text} ~ '{NumberPattern}' THEN (CASE WHEN abs({text}::numeric) > 1.7976931348623157e308 THEN NULL::float8 "
        + $"WHEN abs({text}::numeric) < 2.4703282292062328e-324 THEN 0::float8 ELSE {text}::float8 END) END)";

    public override string CoalesceNumber(string number, string fallback) => $"COALESCE({number}, {fallback})";

    public override string Switch(IReadOnlyList<(string Condition, string Value)> cases, string otherwise) =>
        "(CASE" + string.Concat(cases.Select(c => $" WHEN {c.Condition} THEN {c.Value}")) + $" ELSE {otherwise} END)";

    public override string TextCompare(string text, string op, string value) =>
        op == "=" ? $"{text} = {value}" : $"{text} {op} {value} COLLATE \"C\"";

    public override string Contains(string text, string value) => $"strpos({text}, {value}) > 0";

    public override string Not(string condition) => $"NOT COALESCE(({condition}), FALSE)";

    public override string EventIdIn(IReadOnlyList<(ulong High, ulong Low)> ids) =>
        "event_id IN (" + string.Join(", ", ids.Select(id => Uuid(PostgresEventStore.ToGuid(id.High, id.Low)))) + ")";

    /// <summary>Finite (not NaN, not ±∞): x − x is 0 only for finite x.</summary>
    public static string IsFinite(string number) => $"{number} - {number} = 0";

    private string Document(JsonPlace place) => place switch
    {
        JsonPlace.Tags => "tags",
        JsonPlace.PayloadTop => "payload",
        _ => Switch([.. PayloadFields.Maps.GroupBy(m => m.Name).Select(g => (KindIn([.. g.Select(m => m.Kind)]), $"(payload -> '{g.Key}')"))], "NULL"),
    };

    private string Add(NpgsqlParameter parameter)
    {
        _parameters.Add(parameter);
        return "$" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
    }
}
