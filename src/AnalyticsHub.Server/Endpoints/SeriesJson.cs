using System.Globalization;
using System.Text.Json;
using AnalyticsHub.Core.Query;

namespace AnalyticsHub.Server.Endpoints;

/// <summary>
/// What the series endpoints (forecast, anomaly detection) read alike from a JSON body: the fields present (unknown
/// and repeated ones refused), <c>timestamps</c> as RFC 3339 strings and <c>values</c> as finite numbers, each error
/// with its field and what to change.
/// </summary>
internal static class SeriesJson
{
    public const int MinPoints = 10;
    public const int MaxPoints = 20_000;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 6 };

    /// <summary>Parses <paramref name="body"/> (depth-limited) and hands its root object to <paramref name="read"/>; a body
    /// that is not JSON, or not an object shaped like <paramref name="shape"/>, is one error at the top level.</summary>
    public static Validated<T> ReadObject<T>(ReadOnlyMemory<byte> body, string shape, Func<JsonElement, Validated<T>> read)
        where T : class
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException e)
        {
            return Validated<T>.Fail([new QueryError("", "The body is not valid JSON (" + e.Message + ").")]);
        }
        using (document)
        {
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? read(document.RootElement)
                : Validated<T>.Fail([new QueryError("", "The body must be a JSON object with " + shape + ".")]);
        }
    }

    /// <summary>The body's fields by name; an unknown or repeated field is an error.</summary>
    public static Dictionary<string, JsonElement> Fields(JsonElement root, IReadOnlyList<string> allowed, List<QueryError> errors)
    {
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (!allowed.Contains(property.Name))
            {
                errors.Add(new(property.Name, "Unknown field; the fields are " + string.Join(", ", allowed) + "."));
            }
            else if (!fields.TryAdd(property.Name, property.Value))
            {
                errors.Add(new(property.Name, "Given twice; send it once."));
            }
        }
        return fields;
    }

    public static DateTimeOffset[]? ReadTimestamps(Dictionary<string, JsonElement> fields, List<QueryError> errors)
    {
        if (!TryArray(fields, "timestamps", errors, out var array))
        {
            return null;
        }
        var timestamps = new DateTimeOffset[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || !TryParseRfc3339(item.GetString()!, out timestamps[i]))
            {
                errors.Add(new($"timestamps[{i}]", "Expected an RFC 3339 date-time string such as \"2026-01-31T13:00:00Z\"."));
                return null;
            }
            i++;
        }
        return timestamps;
    }

    public static double[]? ReadValues(Dictionary<string, JsonElement> fields, List<QueryError> errors)
    {
        if (!TryArray(fields, "values", errors, out var array))
        {
            return null;
        }
        var values = new double[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetDouble(out values[i]) || !double.IsFinite(values[i]))
            {
                errors.Add(new($"values[{i}]", "Expected a finite number; fill or interpolate missing values before sending."));
                return null;
            }
            i++;
        }
        return values;
    }

    /// <summary>One value per timestamp, <see cref="MinPoints"/> to <see cref="MaxPoints"/> of them, timestamps strictly increasing.</summary>
    public static bool CheckPairs(DateTimeOffset[] timestamps, double[] values, List<QueryError> errors)
    {
        if (timestamps.Length != values.Length)
        {
            errors.Add(new("values", $"Has {values.Length} values for {timestamps.Length} timestamps; send one value per timestamp."));
            return false;
        }
        if (values.Length < MinPoints || values.Length > MaxPoints)
        {
            errors.Add(new("values", $"Has {values.Length:N0} points; send from {MinPoints} to {MaxPoints:N0}."));
            return false;
        }
        for (var i = 1; i < timestamps.Length; i++)
        {
            if (timestamps[i] <= timestamps[i - 1])
            {
                errors.Add(new($"timestamps[{i}]", $"Not after timestamps[{i - 1}]; timestamps must be strictly increasing."));
                return false;
            }
        }
        return true;
    }

    private static bool TryArray(Dictionary<string, JsonElement> fields, string name, List<QueryError> errors, out JsonElement array)
    {
        if (!fields.TryGetValue(name, out array) || array.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new(name, $"Required: an array of at least {MinPoints} and at most {MaxPoints:N0} items."));
            return false;
        }
        if (array.GetArrayLength() > MaxPoints)
        {
            errors.Add(new(name, $"Has {array.GetArrayLength():N0} items; send at most {MaxPoints:N0} (aggregate to a coarser step)."));
            return false;
        }
        return true;
    }

    /// <summary>RFC 3339: a date, 'T', a time and an explicit offset or Z.</summary>
    public static bool TryParseRfc3339(string text, out DateTimeOffset time)
    {
        time = default;
        return text.Length >= 20 && (text[10] == 'T' || text[10] == 't')
            && (text[^1] is 'Z' or 'z' || text[^6] is '+' or '-')
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
    }

    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
