using System.Globalization;

namespace AnalyticsHub.Core.Query;

/// <summary>
/// Reads the query string of <c>GET /api/v1/events</c> into a <see cref="SearchSpec"/>:
/// <list type="bullet">
/// <item><c>tenant_id</c>; <c>start</c>, <c>end</c> (RFC 3339 with an offset, or Unix nanoseconds);
/// <c>relative=last 24h</c> or <c>last=24h</c> (absent: the last 24 hours);</item>
/// <item><c>severity=warning</c> (at least that severe); <c>correlation_id</c>;</item>
/// <item><c>source_module</c>, <c>event_type</c> (repeatable, or several names separated by <c>|</c>);</item>
/// <item><c>filter=field:op:value</c>, repeatable (for <c>in</c>: <c>model:in:gpt-4o|claude-3</c>; the value is
/// everything after the second ':', so it may hold ':'); errors name the i-th as <c>filter[i]</c>;</item>
/// <item><c>limit</c> (1–1000, default 100), <c>cursor</c> (from the previous page), <c>offset</c> (0–100,000; not with a cursor).</item>
/// </list>
/// Parameter names match ASCII-case-insensitively; an empty value means "not given"; an unknown
/// or repeated single-valued parameter is an error.
/// </summary>
public static class SearchQueryString
{
    public const int MaxParameters = 1_000;

    private const string Allowed = "tenant_id, start, end, relative, last, severity, correlation_id, source_module, event_type, filter, limit, cursor, offset";

    private static readonly string[] Single = ["tenant_id", "start", "end", "relative", "last", "severity", "correlation_id", "limit", "cursor", "offset"];

    public static Validated<SearchSpec> Parse(IEnumerable<KeyValuePair<string, string?>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var errors = new List<QueryError>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var modules = new List<string>();
        var types = new List<string>();
        var filters = new List<FilterSpec>();
        var count = 0;
        foreach (var (rawName, rawValue) in parameters)
        {
            if (++count > MaxParameters)
            {
                errors.Add(new("", string.Create(CultureInfo.InvariantCulture, $"more than {MaxParameters:N0} query parameters; send fewer")));
                break;
            }

            var name = (rawName ?? "").ToLowerInvariant();
            var value = rawValue ?? "";
            if (value.Length > QueryJson.MaxStringBytes)
            {
                errors.Add(new(name, string.Create(CultureInfo.InvariantCulture, $"the value of {QueryNames.Quote(name)} is {value.Length:N0} characters; at most {QueryJson.MaxStringBytes:N0}")));
                continue;
            }

            switch (name)
            {
                case "source_module":
                    modules.AddRange(SplitAlternatives(value));
                    break;
                case "event_type":
                    types.AddRange(SplitAlternatives(value));
                    break;
                case "filter":
                    if (ParseFilter(value, $"filter[{filters.Count}]", errors) is { } filter)
                    {
                        filters.Add(filter);
                    }
                    else
                    {
                        filters.Add(new FilterSpec()); // keeps the indexes of later filters equal to their position
                    }

                    break;
                case var single when Array.IndexOf(Single, single) >= 0:
                    if (values.ContainsKey(name))
                    {
                        errors.Add(new(name, $"{name} is given more than once; give it once"));
                    }
                    else if (value.Length > 0)
                    {
                        values[name] = value;
                    }

                    break;
                default:
                    errors.Add(new(name, $"unknown parameter {QueryNames.Quote(name)}; use {Allowed}"));
                    break;
            }
        }

        if (values.ContainsKey("relative") && values.ContainsKey("last"))
        {
            errors.Add(new("last", "last is another way to write relative; give one of them"));
        }

        var relative = values.GetValueOrDefault("relative");
        if (values.TryGetValue("last", out var last))
        {
            relative = last.TrimStart().StartsWith("last", StringComparison.OrdinalIgnoreCase) ? last : "last " + last;
        }

        var limit = ReadInteger(values, "limit", errors);
        var offset = ReadInteger(values, "offset", errors);
        if (errors.Count > 0)
        {
            return Validated<SearchSpec>.Fail(errors);
        }

        var hasRange = values.ContainsKey("start") || values.ContainsKey("end") || relative is not null;
        return Validated<SearchSpec>.Ok(new SearchSpec
        {
            TenantId = values.GetValueOrDefault("tenant_id"),
            TimeRange = hasRange ? new TimeRangeSpec { Start = values.GetValueOrDefault("start"), End = values.GetValueOrDefault("end"), Relative = relative } : null,
            Severity = values.GetValueOrDefault("severity"),
            CorrelationId = values.GetValueOrDefault("correlation_id"),
            SourceModules = modules,
            EventTypes = types,
            Filters = filters,
            Limit = limit,
            Cursor = values.GetValueOrDefault("cursor"),
            Offset = offset,
        });
    }

    /// <summary><c>field:op:value</c>; for <c>in</c> the value splits on '|'.</summary>
    private static FilterSpec? ParseFilter(string text, string path, List<QueryError> errors)
    {
        var first = text.IndexOf(':', StringComparison.Ordinal);
        var second = first < 0 ? -1 : text.IndexOf(':', first + 1);
        if (second < 0)
        {
            errors.Add(new(path, $"filter {QueryNames.Quote(text)} is not field:op:value; write e.g. filter=model:eq:gpt-4o or filter=model:in:gpt-4o|claude-3"));
            return null;
        }

        var op = text[(first + 1)..second];
        var value = text[(second + 1)..];
        return new FilterSpec
        {
            Field = text[..first],
            Op = op,
            Values = op.Trim().Equals("in", StringComparison.OrdinalIgnoreCase) ? value.Split('|') : [value],
        };
    }

    private static IEnumerable<string> SplitAlternatives(string value) =>
        value.Length == 0 ? [] : value.Split('|');

    private static long? ReadInteger(Dictionary<string, string> values, string name, List<QueryError> errors)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return null;
        }

        if (long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        errors.Add(new(name, $"{name} {QueryNames.Quote(text)} is not a whole number; write digits only ({name}=100)"));
        return null;
    }
}
