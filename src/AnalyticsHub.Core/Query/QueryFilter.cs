using System.Globalization;

namespace AnalyticsHub.Core.Query;

/// <summary>
/// One filter of a query: <see cref="Field"/> compared by <see cref="Operator"/> with <see cref="Values"/> (one value, or several for <c>in</c>).
/// Source module, event type and severity values are canonical lowercase names (<c>llm-observatory</c>, <c>telemetry</c>, <c>error</c>).
/// <c>gt</c>/<c>gte</c>/<c>lt</c>/<c>lte</c> compare severities by severity order (debug &lt; info &lt; warning &lt; error &lt; critical);
/// on any other field, a value that parses as a finite double (<see cref="TryParseNumber"/>, invariant culture) compares numerically
/// (stored values that are not numbers do not match), any other value compares by ordinal text. They do not apply to source_module or event_type.
/// <c>contains</c> applies to text fields only (not the three enum fields).
/// </summary>
public sealed record QueryFilter(QueryField Field, FilterOperator Operator, IReadOnlyList<string> Values)
{
    /// <summary>The value of every operator but <c>in</c>.</summary>
    public string Value => Values[0];

    /// <summary>True when an ordering comparison on <paramref name="text"/> is numeric: it parses as a finite double in the invariant culture.</summary>
    public static bool TryParseNumber(string text, out double number) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);
}
