using System.Globalization;
using System.Text.Json;

namespace AnalyticsHub.Core.Query;

/// <summary>
/// Reads the REST query body (<c>POST /api/v1/query</c>, UTF-8 JSON) into a <see cref="QuerySpec"/>.
/// Never throws for bad input: every problem found comes back as a <see cref="QueryError"/> with
/// its property path. The shape:
/// <code>
/// {
///   "tenant_id": "default",                        // optional; default "default"
///   "metric": "latency_ms",                        // metric, composite, or both (composite restricted to the metric)
///   "composite": "cost_per_request",               // cost_per_request | error_adjusted_throughput | cost_per_1k_tokens
///   "time_range": {"start": "2026-11-23T00:00:00+02:00", "end": "2026-11-24T00:00:00Z"},
///                 // or {"start": 1795384800000000000, "end": …} (integer Unix nanoseconds)
///                 // or {"relative": "last 24h"} or just "last 24h" (units s, m, h, d, w)
///   "filters": [{"field": "source_module", "op": "eq", "value": "llm-observatory"},
///               {"field": "model", "op": "in", "values": ["gpt-4o", "claude-3"]}],
///                 // value: one string or number; values: an array of them (give one of the two)
///   "aggregation": {"functions": ["avg", "p95", "p99"],   // or "function": "avg"
///                   "time_bucket": "1h",                  // or "interval": "1h"; 1m | 5m | 15m | 1h | 1d
///                   "group_by": ["model"]},
///   "order_by": [{"field": "p99", "direction": "desc"}],  // direction asc | desc, optional
///   "limit": 10,                                          // integer; 0 or absent: the default
///   "format": "columns"                                   // points (default) | columns: the answer's layout
/// }
/// </code>
/// Property names are exact (snake_case); an unknown or repeated property is an error naming its
/// path and the allowed names. <c>null</c> means "not given". Types are strict: <c>"limit": "10"</c>
/// is an error. Abuse is refused before the document is built: bodies over 1 MiB, nesting deeper
/// than 8, strings over 4 KiB as written, numbers over 32 characters, arrays over 1,000 items.
/// </summary>
public static class QueryJson
{
    public const int MaxBodyBytes = 1 << 20;
    public const int MaxDepth = 8;
    public const int MaxStringBytes = 4_096;
    public const int MaxArrayItems = 1_000;
    public const int MaxNumberBytes = 32;

    private const string Example = "{\"metric\": \"latency_ms\", \"time_range\": \"last 24h\", \"aggregation\": {\"functions\": [\"avg\"]}}";

    private static readonly string[] RootNames = ["tenant_id", "metric", "composite", "time_range", "filters", "aggregation", "order_by", "limit", "format"];
    private static readonly string[] TimeRangeNames = ["start", "end", "relative"];
    private static readonly string[] FilterNames = ["field", "op", "value", "values"];
    private static readonly string[] AggregationNames = ["functions", "function", "time_bucket", "interval", "group_by"];
    private static readonly string[] OrderNames = ["field", "direction"];

    public static Validated<QuerySpec> Parse(ReadOnlyMemory<byte> utf8Json)
    {
        var json = utf8Json.Span.StartsWith("\uFEFF"u8) ? utf8Json[3..] : utf8Json;
        if (json.Length > MaxBodyBytes)
        {
            return Fail(string.Create(CultureInfo.InvariantCulture, $"the body is {json.Length:N0} bytes, above the {MaxBodyBytes:N0}-byte limit; send a smaller query"));
        }

        if (json.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            return Fail($"the body is empty; send a JSON object such as {Example}");
        }

        if (Scan(json.Span) is { } scanError)
        {
            return Fail(scanError);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth + 1 });
        }
        catch (JsonException e)
        {
            return Fail($"the body is not valid JSON: {Reason(e)}");
        }

        using (document)
        {
            var errors = new List<QueryError>();
            var spec = ReadRoot(document.RootElement, errors);
            return errors.Count > 0 || spec is null ? Validated<QuerySpec>.Fail(errors) : Validated<QuerySpec>.Ok(spec);
        }
    }

    private static Validated<QuerySpec> Fail(string message) => Validated<QuerySpec>.Fail([new QueryError("", message)]);

    /// <summary>One pass of the reader over the body: well-formed, and within the depth, string, number and array limits.</summary>
    private static string? Scan(ReadOnlySpan<byte> json)
    {
        // A container's slot is its own depth; the reader may go one level past the limit so that
        // the first container too deep is reported here rather than thrown by the reader.
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth + 1 });
        Span<int> items = stackalloc int[MaxDepth + 2];
        Span<bool> isArray = stackalloc bool[MaxDepth + 2];
        try
        {
            while (reader.Read())
            {
                var depth = reader.CurrentDepth;
                var token = reader.TokenType;
                if (token is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    continue;
                }

                if (token != JsonTokenType.PropertyName && depth > 0 && isArray[depth - 1] && ++items[depth - 1] > MaxArrayItems)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"an array has more than {MaxArrayItems:N0} items (at byte {reader.TokenStartIndex:N0}); send at most {MaxArrayItems:N0}");
                }

                switch (token)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        if (depth + 1 > MaxDepth)
                        {
                            return string.Create(CultureInfo.InvariantCulture, $"the body nests deeper than {MaxDepth} levels (at byte {reader.TokenStartIndex:N0}); a query needs at most 4");
                        }

                        isArray[depth] = token == JsonTokenType.StartArray;
                        items[depth] = 0;
                        break;
                    case JsonTokenType.String or JsonTokenType.PropertyName when reader.ValueSpan.Length > MaxStringBytes:
                        return string.Create(CultureInfo.InvariantCulture, $"a string of {reader.ValueSpan.Length:N0} bytes (at byte {reader.TokenStartIndex:N0}) is above the {MaxStringBytes:N0}-byte limit; send shorter values");
                    case JsonTokenType.String or JsonTokenType.PropertyName when !IsText(ref reader):
                        return string.Create(CultureInfo.InvariantCulture, $"the body is not valid JSON: a string (at byte {reader.TokenStartIndex:N0}) is not valid UTF-8, or escapes a lone surrogate");
                    case JsonTokenType.Number when reader.ValueSpan.Length > MaxNumberBytes:
                        return string.Create(CultureInfo.InvariantCulture, $"a number of {reader.ValueSpan.Length:N0} digits (at byte {reader.TokenStartIndex:N0}) is too long; numbers are at most {MaxNumberBytes} characters");
                }
            }
        }
        catch (JsonException e)
        {
            return $"the body is not valid JSON: {Reason(e)}";
        }

        return null;
    }

    /// <summary>
    /// True when the current string decodes to text. The reader checks structure, not the bytes
    /// inside strings: invalid UTF-8 or an escaped lone surrogate would only throw later, when
    /// the document is read.
    /// </summary>
    private static bool IsText(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return System.Text.Unicode.Utf8.IsValid(reader.ValueSpan);
        }

        try
        {
            _ = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The reader's reason without its own position suffix, with a 1-based position.</summary>
    private static string Reason(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut >= 0)
        {
            message = message[..cut];
        }

        message = message.TrimEnd('.', ' ');
        return e.LineNumber is { } line && e.BytePositionInLine is { } position
            ? string.Create(CultureInfo.InvariantCulture, $"{message} (line {line + 1}, byte {position + 1})")
            : message;
    }

    private static QuerySpec? ReadRoot(JsonElement root, List<QueryError> errors)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("", $"the body must be a JSON object such as {Example}; found {Describe(root)}"));
            return null;
        }

        var spec = new QuerySpec();
        foreach (var property in Properties(root, "", RootNames, errors))
        {
            var value = property.Value;
            spec = property.Name switch
            {
                "tenant_id" => spec with { TenantId = ReadString(value, "tenant_id", errors) },
                "metric" => spec with { Metric = ReadString(value, "metric", errors) },
                "composite" => spec with { Composite = ReadString(value, "composite", errors) },
                "time_range" => spec with { TimeRange = ReadTimeRange(value, errors) },
                "filters" => spec with { Filters = ReadArray(value, "filters", "[{\"field\": \"model\", \"op\": \"eq\", \"value\": \"gpt-4o\"}]", errors, ReadFilter) },
                "aggregation" => ReadAggregation(value, spec, errors),
                "order_by" => spec with { OrderBy = ReadArray(value, "order_by", "[{\"field\": \"p99\", \"direction\": \"desc\"}]", errors, ReadOrder) },
                "limit" => spec with { Limit = ReadInteger(value, "limit", errors) },
                "format" => spec with { Format = ReadString(value, "format", errors) },
                _ => spec,
            };
        }

        return spec;
    }

    private static TimeRangeSpec? ReadTimeRange(JsonElement value, List<QueryError> errors)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                return new TimeRangeSpec { Relative = value.GetString() };
            case JsonValueKind.Object:
                var range = new TimeRangeSpec();
                foreach (var property in Properties(value, "time_range", TimeRangeNames, errors))
                {
                    var path = "time_range." + property.Name;
                    range = property.Name switch
                    {
                        "start" => range with { Start = ReadTime(property.Value, path, errors) },
                        "end" => range with { End = ReadTime(property.Value, path, errors) },
                        _ => range with { Relative = ReadString(property.Value, path, errors) },
                    };
                }

                return range;
            default:
                errors.Add(new("time_range", $"time_range must be an object ({{\"start\": …, \"end\": …}} or {{\"relative\": \"last 24h\"}}) or a string such as \"last 24h\"; found {Describe(value)}"));
                return null;
        }
    }

    private static string? ReadTime(JsonElement value, string path, List<QueryError> errors)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                return value.GetString();
            case JsonValueKind.Number when value.TryGetInt64(out var nanos):
                return nanos.ToString(CultureInfo.InvariantCulture);
            default:
                errors.Add(new(path, $"{path} must be an RFC 3339 string (\"2026-11-24T00:00:00Z\") or integer Unix nanoseconds; found {Describe(value)}"));
                return null;
        }
    }

    private static FilterSpec? ReadFilter(JsonElement value, string path, List<QueryError> errors)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, $"a filter must be an object such as {{\"field\": \"model\", \"op\": \"eq\", \"value\": \"gpt-4o\"}}; found {Describe(value)}"));
            return null;
        }

        var filter = new FilterSpec();
        var hasValue = false;
        var hasValues = false;
        foreach (var property in Properties(value, path, FilterNames, errors))
        {
            var at = path + "." + property.Name;
            switch (property.Name)
            {
                case "field":
                    filter = filter with { Field = ReadString(property.Value, at, errors) };
                    break;
                case "op":
                    filter = filter with { Op = ReadString(property.Value, at, errors) };
                    break;
                case "value":
                    hasValue = property.Value.ValueKind != JsonValueKind.Null;
                    if (hasValue && ReadFilterValue(property.Value, at, errors) is { } single)
                    {
                        filter = filter with { Values = [single] };
                    }

                    break;
                default:
                    hasValues = property.Value.ValueKind != JsonValueKind.Null;
                    filter = filter with { Values = ReadArray(property.Value, at, "[\"gpt-4o\", \"claude-3\"]", errors, ReadFilterValue) };
                    break;
            }
        }

        if (hasValue && hasValues)
        {
            errors.Add(new(path + ".values", "give value (one) or values (several), not both"));
        }

        return filter;
    }

    private static string? ReadFilterValue(JsonElement value, string path, List<QueryError> errors)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return value.GetString();
            case JsonValueKind.Number:
                return value.GetRawText();
            default:
                errors.Add(new(path, $"a filter value must be a string or a number; found {Describe(value)}"));
                return null;
        }
    }

    private static QuerySpec ReadAggregation(JsonElement value, QuerySpec spec, List<QueryError> errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return spec;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new("aggregation", $"aggregation must be an object such as {{\"functions\": [\"avg\", \"p99\"], \"time_bucket\": \"1h\", \"group_by\": [\"model\"]}}; found {Describe(value)}"));
            return spec;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in Properties(value, "aggregation", AggregationNames, errors))
        {
            var path = "aggregation." + property.Name;
            names.Add(property.Name);
            spec = property.Name switch
            {
                "functions" => spec with { Functions = ReadArray(property.Value, path, "[\"avg\", \"p99\"]", errors, ReadStringItem) },
                "function" => spec with { Functions = ReadString(property.Value, path, errors) is { } one ? [one] : [] },
                "group_by" => spec with { GroupBy = ReadArray(property.Value, path, "[\"model\"]", errors, ReadStringItem) },
                _ => spec with { TimeBucket = ReadString(property.Value, path, errors) },
            };
        }

        if (names.Contains("functions") && names.Contains("function"))
        {
            errors.Add(new("aggregation.function", "give functions (a list) or function (one), not both"));
        }

        if (names.Contains("time_bucket") && names.Contains("interval"))
        {
            errors.Add(new("aggregation.interval", "interval is another name for time_bucket; give one of them"));
        }

        return spec;
    }

    private static OrderSpec? ReadOrder(JsonElement value, string path, List<QueryError> errors)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, $"an order_by entry must be an object such as {{\"field\": \"p99\", \"direction\": \"desc\"}}; found {Describe(value)}"));
            return null;
        }

        var order = new OrderSpec();
        foreach (var property in Properties(value, path, OrderNames, errors))
        {
            var at = path + "." + property.Name;
            order = property.Name == "field"
                ? order with { Field = ReadString(property.Value, at, errors) }
                : order with { Direction = ReadString(property.Value, at, errors) };
        }

        return order;
    }

    /// <summary>
    /// The properties of an object that are allowed here. Unknown ones become errors; a repeated
    /// one becomes one error and is not read at all (which of the two was meant cannot be known).
    /// </summary>
    private static List<JsonProperty> Properties(JsonElement value, string path, string[] allowed, List<QueryError> errors)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            counts[property.Name] = counts.GetValueOrDefault(property.Name) + 1;
        }

        var properties = new List<JsonProperty>(counts.Count);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            var at = path.Length == 0 ? property.Name : path + "." + property.Name;
            if (counts[property.Name] > 1)
            {
                if (reported.Add(property.Name))
                {
                    errors.Add(new(at, $"property {QueryNames.Quote(at)} is given {counts[property.Name]} times; give it once"));
                }
            }
            else if (Array.IndexOf(allowed, property.Name) < 0)
            {
                errors.Add(new(at, $"unknown property {QueryNames.Quote(at)}; allowed {(path.Length == 0 ? "at the top level" : "in " + path)}: {string.Join(", ", allowed)}"));
            }
            else
            {
                properties.Add(property);
            }
        }

        return properties;
    }

    private static IReadOnlyList<T> ReadArray<T>(JsonElement value, string path, string example, List<QueryError> errors, Func<JsonElement, string, List<QueryError>, T?> read)
        where T : class
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new(path, $"{path} must be an array such as {example}; found {Describe(value)}"));
            return [];
        }

        var items = new List<T>(value.GetArrayLength());
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (read(item, $"{path}[{index++}]", errors) is { } itemValue)
            {
                items.Add(itemValue);
            }
        }

        return items;
    }

    private static string? ReadStringItem(JsonElement value, string path, List<QueryError> errors)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        errors.Add(new(path, $"{path} must be a string; found {Describe(value)}"));
        return null;
    }

    private static string? ReadString(JsonElement value, string path, List<QueryError> errors)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                return value.GetString();
            default:
                errors.Add(new(path, $"{path} must be a string; found {Describe(value)}"));
                return null;
        }
    }

    private static long ReadInteger(JsonElement value, string path, List<QueryError> errors)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return 0;
            case JsonValueKind.Number when value.TryGetInt64(out var number):
                return number;
            case JsonValueKind.String:
                errors.Add(new(path, $"{path} must be a number, not a string; write it without quotes ({path}: 10)"));
                return 0;
            default:
                errors.Add(new(path, $"{path} must be a whole number; found {Describe(value)}"));
                return 0;
        }
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "the string " + QueryNames.Quote(value.GetString() ?? ""),
        JsonValueKind.Number => "the number " + QueryNames.Quote(value.GetRawText()),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        _ => "an object",
    };
}
