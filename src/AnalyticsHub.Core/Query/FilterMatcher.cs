using AnalyticsHub.Core.Events;

namespace AnalyticsHub.Core.Query;

/// <summary>
/// A filter applied to a field's text value in memory (rollup series dimensions). The same rules
/// as the stores' SQL: eq/neq/in exact, <c>contains</c> a case-sensitive substring; gt/gte/lt/lte
/// by severity order on severity, numerically when the filter value is a finite number (a value
/// that is not a number then never matches), and by ordinal text otherwise.
/// </summary>
public static class FilterMatcher
{
    public static bool Matches(QueryFilter filter, string value)
    {
        switch (filter.Operator)
        {
            case FilterOperator.Eq:
                return value == filter.Value;
            case FilterOperator.Neq:
                return value != filter.Value;
            case FilterOperator.In:
                foreach (var candidate in filter.Values)
                {
                    if (candidate == value)
                    {
                        return true;
                    }
                }
                return false;
            case FilterOperator.Contains:
                return value.Contains(filter.Value, StringComparison.Ordinal);
        }

        int? order = Compare(filter.Field.Kind, value, filter.Value);
        return order is { } c && filter.Operator switch
        {
            FilterOperator.Gt => c > 0,
            FilterOperator.Gte => c >= 0,
            FilterOperator.Lt => c < 0,
            _ => c <= 0,
        };
    }

    /// <summary>How <paramref name="value"/> compares with <paramref name="bound"/>; null when they cannot be compared.</summary>
    private static int? Compare(FieldKind kind, string value, string bound)
    {
        if (kind == FieldKind.Severity)
        {
            return EnumNames.TryParse(value, out Severity left) && EnumNames.TryParse(bound, out Severity right)
                ? ((int)left).CompareTo((int)right) : null;
        }

        if (QueryFilter.TryParseNumber(bound, out double limit))
        {
            return QueryFilter.TryParseNumber(value, out double number) ? number.CompareTo(limit) : null;
        }

        return Math.Sign(string.CompareOrdinal(value, bound));
    }
}
