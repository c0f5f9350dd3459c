namespace AnalyticsHub.Storage.Stores.Internal;

/// <summary>
/// A field's value as SQL: an expression for its text and one for its number, each null when the field
/// is never of that kind. A row's value is at most one of the two; what "missing" looks like is the
/// dialect's (<see cref="QuerySqlDialect.NoText"/>, <see cref="QuerySqlDialect.NoNumber"/>).
/// </summary>
internal readonly record struct ValueSql(string? Text, string? Number);

/// <summary>Which JSON object of a row a key is looked up in.</summary>
internal enum JsonPlace
{
    /// <summary>The <c>tags</c> column.</summary>
    Tags,

    /// <summary>The top level of the <c>payload</c> column.</summary>
    PayloadTop,

    /// <summary>The payload's map (<see cref="PayloadFields.Maps"/>: the object depends on the payload kind).</summary>
    PayloadMap,
}

/// <summary>
/// The SQL pieces of one store's dialect that <see cref="EventQuerySql"/> composes filters and group
/// columns from. An instance builds one statement: values go through <see cref="Text(string)"/>,
/// <see cref="Real"/> and <see cref="Integer"/>, which bind parameters (or, for ClickHouse, write
/// escaped literals), so no caller ever writes user text into SQL.
/// </summary>
internal abstract class QuerySqlDialect
{
    /// <summary>The plain decimal numbers a text field may hold to compare as a number: <c>-?digits[.digits][(e|E)[+|-]d{1,3}]</c>.</summary>
    public const string NumberPattern = @"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]{1,3})?$";

    /// <summary>A value (bound parameter or literal) of text.</summary>
    public abstract string Text(string value);

    /// <summary>A value of a finite double, exact.</summary>
    public abstract string Real(double value);

    public abstract string Integer(long value);

    public abstract string True { get; }

    public abstract string False { get; }

    /// <summary>The text expression of a missing value.</summary>
    public abstract string NoText { get; }

    /// <summary>The number expression of a missing value.</summary>
    public abstract string NoNumber { get; }

    /// <summary>True when <paramref name="text"/> (a text expression) is present.</summary>
    public abstract string HasText(string text);

    /// <summary>A text column, <c>''</c> meaning missing.</summary>
    public abstract string TextColumn(string column);

    /// <summary>A numeric column as a double, NaN meaning missing.</summary>
    public abstract string NumberColumn(string column);

    /// <summary>The value under <paramref name="key"/> in a row's JSON object.</summary>
    public abstract ValueSql Json(JsonPlace place, string key);

    /// <summary>True when the JSON object has <paramref name="key"/> (whatever its value).</summary>
    public abstract string JsonHas(JsonPlace place, string key);

    /// <summary>The number a text expression spells by <see cref="NumberPattern"/> (finite), else missing.</summary>
    public abstract string ParseNumber(string text);

    /// <summary><paramref name="number"/> when present, else <paramref name="fallback"/>.</summary>
    public abstract string CoalesceNumber(string number, string fallback);

    /// <summary>The value of the first case whose condition holds, else <paramref name="otherwise"/>.</summary>
    public abstract string Switch(IReadOnlyList<(string Condition, string Value)> cases, string otherwise);

    /// <summary>Compares a text expression with a text value (<c>=</c>, <c>&lt;</c>, …) by UTF-8 bytes; false when missing.</summary>
    public abstract string TextCompare(string text, string op, string value);

    /// <summary>The text contains <paramref name="value"/> (case-sensitive); false when missing.</summary>
    public abstract string Contains(string text, string value);

    /// <summary>Compares a number expression with a value; false when missing.</summary>
    public virtual string NumberCompare(string number, string op, double value) => $"{number} {op} {Real(value)}";

    /// <summary>The negation of <paramref name="condition"/>, where a condition on a missing value (false, or SQL NULL) becomes true.</summary>
    public abstract string Not(string condition);

    /// <summary>event_id is one of <paramref name="ids"/> (UUID halves).</summary>
    public abstract string EventIdIn(IReadOnlyList<(ulong High, ulong Low)> ids);

    /// <summary>event_id as its canonical lower-case text.</summary>
    public abstract string EventIdText { get; }

    public string KindIn(IReadOnlyCollection<int> kinds) =>
        kinds.Count == 1 ? $"payload_kind = {kinds.First()}" : $"payload_kind IN ({string.Join(", ", kinds)})";

    public static string And(IEnumerable<string> conditions)
    {
        var list = conditions.ToList();
        return list.Count switch
        {
            0 => "1 = 1",
            1 => list[0],
            _ => string.Join(" AND ", list.Select(c => "(" + c + ")")),
        };
    }

    public string Or(IReadOnlyList<string> conditions) => conditions.Count switch
    {
        0 => False,
        1 => conditions[0],
        _ => "(" + string.Join(" OR ", conditions.Select(c => "(" + c + ")")) + ")",
    };
}
