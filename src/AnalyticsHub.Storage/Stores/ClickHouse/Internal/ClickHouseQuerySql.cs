using System.Text.Encodings.Web;
using System.Text.Json;
using AnalyticsHub.Storage.Stores.Internal;

namespace AnalyticsHub.Storage.Stores.ClickHouse.Internal;

/// <summary>
/// ClickHouse's side of <see cref="QuerySqlDialect"/>, for 18.16 and current servers alike. Values are
/// literals written by <see cref="ClickHouseLiteral"/> (18.16 has no query parameters). No Nullable
/// types (18.16 mishandles them in <c>if</c>): a missing text is <c>''</c>, a missing number NaN —
/// comparisons with NaN are false, as with SQL NULL elsewhere.
/// </summary>
/// <remarks>
/// JSON: 18.16 has no <c>JSONExtract*</c>; the <c>visitParam*</c> functions (still in current servers)
/// find the first <c>"key":</c> anywhere in the text. That is exact for <c>tags</c> (a flat object of
/// strings) and for the payload's map once cut out of the payload with a regular expression (its values
/// are strings, so it has no nested braces); for the payload's top level the map is first replaced by
/// <c>{}</c>, leaving only arrays of strings, which hold no keys. A JSON string cannot contain
/// <c>"key":</c> (its quotes are escaped), so only real keys match. Keys are looked up in the escaped
/// form the ingestion wrote (<see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/>). String values
/// come from <c>visitParamExtractString</c> (which unescapes, \u sequences and surrogate pairs
/// included); <c>visitParamExtractRaw</c>, which 18.16 gets wrong for strings holding brackets or
/// ending in a backslash, is used only to tell numbers and booleans.
/// </remarks>
internal sealed class ClickHouseQuerySql : QuerySqlDialect
{
    /// <summary>A JSON number token.</summary>
    private const string JsonNumberPattern = @"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$";

    // A JSON string (with escapes) or any character but quotes and braces: the map object's inside.
    private const string MapInside = @"(?:""(?:[^""\\]|\\.)*""|[^""{}])*";

    private readonly ClickHouseTableLayout _layout;

    public ClickHouseQuerySql(ClickHouseTableLayout layout)
    {
        _layout = layout;
    }

    public override string True => "1";

    public override string False => "0";

    public override string NoText => "''";

    public override string NoNumber => "nan";

    public override string EventIdText => "toString(event_id)";

    /// <summary>The event time in Unix nanoseconds (Int64).</summary>
    public string Time => Nanos("time", "time_ns");

    public string Received => Nanos("received", "received_ns");

    public override string Text(string value) => ClickHouseLiteral.Quote(value);

    public override string Real(double value) => ClickHouseLiteral.Real(value);

    public override string Integer(long value) => $"toInt64({ClickHouseLiteral.Integer(value)})";

    public override string HasText(string text) => $"{text} != ''";

    public override string TextColumn(string column) => $"toString({column})";

    public override string NumberColumn(string column) => column == "value" ? "value" : $"toFloat64({column})";

    public override ValueSql Json(JsonPlace place, string key)
    {
        string document = Document(place);
        string name = Text(EscapedKey(key));
        string raw = $"visitParamExtractRaw({document}, {name})";
        string text = $"visitParamExtractString({document}, {name})";
        return new ValueSql(
            $"multiIf({text} != '', {text}, {raw} IN ('true', 'false'), {raw}, '')",
            $"if(match({raw}, {Text(JsonNumberPattern)}), toFloat64OrZero({raw}), nan)");
    }

    public override string JsonHas(JsonPlace place, string key) => $"visitParamHas({Document(place)}, {Text(EscapedKey(key))})";

    // toFloat64OrZero is evaluated for every row (no short-circuit in 18.16): it must not throw.
    public override string ParseNumber(string text) =>
        $"if(match({text}, {Text(NumberPattern)}) AND isFinite(toFloat64OrZero({text})), toFloat64OrZero({text}), nan)";

    public override string CoalesceNumber(string number, string fallback) => $"if(isNaN({number}), {fallback}, {number})";

    public override string Switch(IReadOnlyList<(string Condition, string Value)> cases, string otherwise) =>
        cases.Count == 0 ? otherwise : "multiIf(" + string.Concat(cases.Select(c => $"{c.Condition}, {c.Value}, ")) + otherwise + ")";

    // Strings compare by their bytes; '' (missing) must not compare below everything.
    public override string TextCompare(string text, string op, string value) => $"({text} != '' AND {text} {op} {value})";

    public override string Contains(string text, string value) => $"position({text}, {value}) > 0";

    public override string Not(string condition) => $"NOT ({condition})";

    public override string EventIdIn(IReadOnlyList<(ulong High, ulong Low)> ids) =>
        "event_id IN (" + string.Join(", ", ids.Select(id => $"toUUID({Text(EventQueryChecks.FormatId(id.High, id.Low))})")) + ")";

    /// <summary>A key as the ingestion's JSON writer spells it inside the stored text.</summary>
    internal static string EscapedKey(string key) => JsonEncodedText.Encode(key, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value;

    private string Nanos(string seconds, string nanos) => _layout == ClickHouseTableLayout.Modern
        ? $"toUnixTimestamp64Nano({seconds})"
        : $"(toInt64(toUInt32({seconds})) * 1000000000 + toInt64({nanos}))";

    private string Document(JsonPlace place) => place switch
    {
        JsonPlace.Tags => "tags",
        JsonPlace.PayloadTop => Switch(MapCases(map => $"replaceRegexpOne(payload, {Text(MapPattern(map, capture: false))}, {Text($"\"{map}\":{{}}")})"), "payload"),
        _ => Switch(MapCases(map => $"extract(payload, {Text(MapPattern(map, capture: true))})"), "''"),
    };

    private List<(string Condition, string Value)> MapCases(Func<string, string> of) =>
        [.. PayloadFields.Maps.GroupBy(m => m.Name).Select(g => (KindIn([.. g.Select(m => m.Kind)]), of(g.Key)))];

    private static string MapPattern(string map, bool capture) =>
        capture ? $"\"{map}\":(\\{{{MapInside}\\}})" : $"\"{map}\":\\{{{MapInside}\\}}";
}
