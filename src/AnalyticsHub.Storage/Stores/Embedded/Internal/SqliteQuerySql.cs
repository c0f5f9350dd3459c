using System.Buffers.Binary;
using System.Globalization;
using AnalyticsHub.Storage.Stores.Internal;
using Microsoft.Data.Sqlite;

namespace AnalyticsHub.Storage.Stores.Embedded.Internal;

/// <summary>
/// SQLite's side of <see cref="QuerySqlDialect"/>: every value a bound parameter, missing values as
/// NULL (<c>NULLIF(column, '')</c>), JSON through <c>json_type</c>/<c>json_extract</c> with a quoted
/// path (or <c>json_each</c> for keys a path cannot spell), numbers in text through the connection's
/// <see cref="NumberFunction"/>.
/// </summary>
internal sealed class SqliteQuerySql : QuerySqlDialect
{
    /// <summary>The scalar function <see cref="ParseNumber"/> calls, registered on every query connection (<see cref="Register"/>).</summary>
    public const string NumberFunction = "hub_number";

    private readonly List<SqliteParameter> _parameters = [];
    private readonly Dictionary<string, string> _texts = new(StringComparer.Ordinal);

    public IReadOnlyList<SqliteParameter> Parameters => _parameters;

    public override string True => "1";

    public override string False => "0";

    public override string NoText => "NULL";

    public override string NoNumber => "NULL";

    public override string EventIdText =>
        "lower(substr(hex(event_id), 1, 8) || '-' || substr(hex(event_id), 9, 4) || '-' || substr(hex(event_id), 13, 4) || '-' || "
        + "substr(hex(event_id), 17, 4) || '-' || substr(hex(event_id), 21, 12))";

    /// <summary>Registers <see cref="NumberFunction"/> (<see cref="EventQuerySql.ParseNumberText"/>) on an open connection.</summary>
    public static void Register(SqliteConnection connection) =>
        connection.CreateFunction<string?, double?>(NumberFunction, EventQuerySql.ParseNumberText, isDeterministic: true);

    public override string Text(string value)
    {
        if (!_texts.TryGetValue(value, out var name))
        {
            name = Add(value);
            _texts.Add(value, name);
        }

        return name;
    }

    public override string Real(double value) => Add(value);

    public override string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    public string Blob(byte[] value) => Add(value);

    public override string HasText(string text) => $"{text} IS NOT NULL";

    public override string TextColumn(string column) => $"NULLIF({column}, '')";

    // uint64 token counts are stored bit for bit in SQLite's int64.
    public override string NumberColumn(string column) => column == "value"
        ? "value"
        : $"(CASE WHEN {column} < 0 THEN {column} + 18446744073709551616.0 ELSE CAST({column} AS REAL) END)";

    public override ValueSql Json(JsonPlace place, string key)
    {
        if (IsPathKey(key))
        {
            string document = Document(place);
            string path = Path(place, key);
            string type = $"json_type({document}, {path})";
            string value = $"json_extract({document}, {path})";
            return new ValueSql(
                $"(CASE {type} WHEN 'text' THEN NULLIF({value}, '') WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' END)",
                $"(CASE WHEN {type} IN ('integer', 'real') THEN {value} END)");
        }

        string each = Each(place, key);
        return new ValueSql(
            $"(SELECT CASE j.type WHEN 'text' THEN NULLIF(j.atom, '') WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' END {each})",
            $"(SELECT CASE WHEN j.type IN ('integer', 'real') THEN j.atom END {each})");
    }

    public override string JsonHas(JsonPlace place, string key) => IsPathKey(key)
        ? $"json_type({Document(place)}, {Path(place, key)}) IS NOT NULL"
        : $"EXISTS (SELECT 1 {Each(place, key)})";

    public override string ParseNumber(string text) => $"{NumberFunction}({text})";

    public override string CoalesceNumber(string number, string fallback) => $"COALESCE({number}, {fallback})";

    public override string Switch(IReadOnlyList<(string Condition, string Value)> cases, string otherwise) =>
        "(CASE" + string.Concat(cases.Select(c => $" WHEN {c.Condition} THEN {c.Value}")) + $" ELSE {otherwise} END)";

    // Columns and JSON values compare with SQLite's default BINARY collation: memcmp of the UTF-8 bytes.
    public override string TextCompare(string text, string op, string value) => $"{text} {op} {value}";

    public override string Contains(string text, string value) => $"instr({text}, {value}) > 0";

    public override string Not(string condition) => $"NOT COALESCE(({condition}), 0)";

    public override string EventIdIn(IReadOnlyList<(ulong High, ulong Low)> ids) =>
        "event_id IN (" + string.Join(", ", ids.Select(id => Blob(IdBytes(id.High, id.Low)))) + ")";

    /// <summary>Finite (not NaN — stored as NULL — nor ±∞): x − x is 0 only for finite x (∞ − ∞ is NaN, which SQLite makes NULL).</summary>
    public static string IsFinite(string number) => $"{number} - {number} = 0";

    public static byte[] IdBytes(ulong high, ulong low)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, high);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(8), low);
        return bytes;
    }

    // A key a quoted JSON path label can spell: printable ASCII without '"' and '\' (SQLite ends a
    // quoted label at the next '"'; non-ASCII and escaped characters are looked up by json_each).
    private static bool IsPathKey(string key)
    {
        foreach (char c in key)
        {
            if (c is < ' ' or > '~' or '"' or '\\')
            {
                return false;
            }
        }

        return true;
    }

    private static string Document(JsonPlace place) => place == JsonPlace.Tags ? "tags" : "payload";

    private string Path(JsonPlace place, string key)
    {
        string label = "\"" + key + "\"";
        return place == JsonPlace.PayloadMap
            ? MapSwitch(map => Text("$.\"" + map + "\"." + label))
            : Text("$." + label);
    }

    private string Each(JsonPlace place, string key)
    {
        string container = place == JsonPlace.PayloadMap ? MapSwitch(map => Text("$.\"" + map + "\"")) : "'$'";
        return $"FROM json_each({Document(place)}, {container}) AS j WHERE j.key = {Text(key)} LIMIT 1";
    }

    // The payload kind's map path; NULL (no value) for rows without a payload.
    private string MapSwitch(Func<string, string> pathOf) =>
        Switch([.. PayloadFields.Maps.GroupBy(m => m.Name).Select(g => (KindIn([.. g.Select(m => m.Kind)]), pathOf(g.Key)))], "NULL");

    private string Add(object value)
    {
        string name = "$p" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        _parameters.Add(new SqliteParameter(name, value));
        return name;
    }
}
