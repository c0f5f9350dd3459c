using System.Globalization;
using System.Text;

namespace AnalyticsHub.Core.Query;

/// <summary>
/// Filter rules shared by metric queries and event searches: the field resolves, the operator is
/// known and fits the field, the value count fits the operator, enum values are valid names
/// (canonicalized: <c>LLM_OBSERVATORY</c> → <c>llm-observatory</c>, <c>warn</c> → <c>warning</c>).
/// The result is canonical: filters sorted by field, operator and values with exact duplicates
/// dropped, and <c>in</c> values sorted and distinct — two spellings of one filter set are equal.
/// </summary>
internal static class FilterRules
{
    public static List<QueryFilter> Resolve(IReadOnlyList<FilterSpec> specs, string basePath, QueryFieldResolver resolver, QueryLimits limits, List<QueryError> errors)
    {
        if (specs.Count > limits.MaxFilters)
        {
            errors.Add(new(basePath, string.Create(CultureInfo.InvariantCulture, $"{specs.Count:N0} filters given; at most {limits.MaxFilters} are allowed: combine values of one field with in")));
        }

        var filters = new List<QueryFilter>(specs.Count);
        for (var i = 0; i < specs.Count; i++)
        {
            if (Resolve(specs[i], $"{basePath}[{i}]", resolver, limits, errors) is { } filter)
            {
                filters.Add(filter);
            }
        }

        return Canonical(filters);
    }

    /// <summary>An <c>eq</c> (one value) or <c>in</c> filter on a field from a dedicated parameter, such as search's <c>source_module=</c>.</summary>
    public static QueryFilter? Shorthand(QueryField field, IReadOnlyList<string> values, string path, QueryLimits limits, List<QueryError> errors)
    {
        var spec = new FilterSpec { Field = field.Name, Op = values.Count == 1 ? "eq" : "in", Values = values };
        var before = errors.Count;
        var filter = Resolve(spec, path, resolver: null, limits, errors, field);
        for (var i = before; i < errors.Count; i++)
        {
            errors[i] = errors[i] with { Field = path };
        }

        return filter;
    }

    private static QueryFilter? Resolve(FilterSpec spec, string path, QueryFieldResolver? resolver, QueryLimits limits, List<QueryError> errors, QueryField resolved = default)
    {
        var ok = true;
        var field = resolved;
        if (resolver is not null && !resolver.TryResolve(spec.Field, out field, out var fieldError))
        {
            errors.Add(new(path + ".field", fieldError));
            ok = false;
        }

        FilterOperator op = default;
        if (string.IsNullOrEmpty(spec.Op))
        {
            errors.Add(new(path + ".op", $"an operator is required; use one of {QueryNames.Operators}"));
            return null;
        }

        if (!QueryNames.TryParseOperator(spec.Op, out op))
        {
            errors.Add(new(path + ".op", $"{QueryNames.Quote(spec.Op)} is not an operator; use one of {QueryNames.Operators}"));
            return null;
        }

        var opName = QueryNames.Name(op);
        var values = spec.Values;
        if (op == FilterOperator.In)
        {
            if (values.Count == 0)
            {
                errors.Add(new(path + ".values", "in needs at least one value; give them in values"));
                ok = false;
            }
            else if (values.Count > limits.MaxInValues)
            {
                errors.Add(new(path + ".values", string.Create(CultureInfo.InvariantCulture, $"in takes at most {limits.MaxInValues:N0} values, found {values.Count:N0}; narrow the list or split the query")));
                ok = false;
            }
        }
        else if (values.Count != 1)
        {
            errors.Add(new(path + ".values", values.Count == 0
                ? $"{opName} needs one value; give value"
                : string.Create(CultureInfo.InvariantCulture, $"{opName} takes exactly one value, found {values.Count:N0}; use in to match any of several values")));
            ok = false;
        }

        if (!ok)
        {
            return null;
        }

        var isEnum = field.Kind is FieldKind.SourceModule or FieldKind.EventType or FieldKind.Severity;
        if (op == FilterOperator.Contains && isEnum)
        {
            errors.Add(new(path + ".op", $"contains works on text fields; {field.Name} is one of a fixed set of names: use eq, neq or in"));
            return null;
        }

        if (op is FilterOperator.Gt or FilterOperator.Gte or FilterOperator.Lt or FilterOperator.Lte
            && field.Kind is FieldKind.SourceModule or FieldKind.EventType)
        {
            errors.Add(new(path + ".op", $"{field.Name} has no order, so {opName} does not apply; use eq, neq or in"));
            return null;
        }

        var canonical = new string[values.Count];
        for (var j = 0; j < values.Count; j++)
        {
            var valuePath = $"{path}.values[{j}]";
            var value = values[j] ?? "";
            if (Encoding.UTF8.GetByteCount(value) > limits.MaxValueBytes)
            {
                errors.Add(new(valuePath, string.Create(CultureInfo.InvariantCulture, $"the value is {Encoding.UTF8.GetByteCount(value):N0} bytes; values are at most {limits.MaxValueBytes:N0} bytes")));
                ok = false;
                continue;
            }

            var name = field.Kind switch
            {
                FieldKind.SourceModule => QueryNames.CanonicalModule(value),
                FieldKind.EventType => QueryNames.CanonicalEventType(value),
                FieldKind.Severity => QueryNames.CanonicalSeverity(value),
                _ => value,
            };
            if (name is null)
            {
                var expected = field.Kind switch
                {
                    FieldKind.SourceModule => Events.SourceModuleNames.Known,
                    FieldKind.EventType => QueryNames.EventTypes,
                    _ => QueryNames.Severities,
                };
                errors.Add(new(valuePath, $"{QueryNames.Quote(value)} is not a valid {field.Name.Replace('_', ' ')}; use one of {expected}"));
                ok = false;
                continue;
            }

            canonical[j] = name;
        }

        if (!ok)
        {
            return null;
        }

        IReadOnlyList<string> resolvedValues = op == FilterOperator.In
            ? canonical.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray()
            : canonical;
        return new QueryFilter(field, op, resolvedValues);
    }

    private static List<QueryFilter> Canonical(List<QueryFilter> filters)
    {
        filters.Sort(Compare);
        for (var i = filters.Count - 1; i > 0; i--)
        {
            if (Compare(filters[i], filters[i - 1]) == 0)
            {
                filters.RemoveAt(i);
            }
        }

        return filters;
    }

    private static int Compare(QueryFilter a, QueryFilter b)
    {
        var byField = string.CompareOrdinal(a.Field.Name, b.Field.Name);
        if (byField != 0)
        {
            return byField;
        }

        var byKind = a.Field.Kind.CompareTo(b.Field.Kind);
        if (byKind != 0)
        {
            return byKind;
        }

        var byOp = a.Operator.CompareTo(b.Operator);
        if (byOp != 0)
        {
            return byOp;
        }

        for (var i = 0; i < Math.Min(a.Values.Count, b.Values.Count); i++)
        {
            var byValue = string.CompareOrdinal(a.Values[i], b.Values[i]);
            if (byValue != 0)
            {
                return byValue;
            }
        }

        return a.Values.Count.CompareTo(b.Values.Count);
    }
}
