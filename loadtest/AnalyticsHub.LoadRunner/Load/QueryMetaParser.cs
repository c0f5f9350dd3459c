using System.Text.Json;
using AnalyticsHub.LoadRunner.Metrics;

namespace AnalyticsHub.LoadRunner.Load;

/// <summary>
/// Reads what the runner needs from the end of a query answer (<see cref="TailBuffer"/>): the
/// <c>meta</c> object of <c>{"status":…,"data":…,"error":…,"meta":{…}}</c>, which the hub writes
/// last, or the <c>error.code</c> of an error answer. Never throws for odd bodies.
/// </summary>
internal static class QueryMetaParser
{
    private static ReadOnlySpan<byte> MetaName => "\"meta\""u8;

    /// <summary>The answer's <c>meta</c>, or <see cref="QueryMeta.None"/> when the tail holds none.</summary>
    public static QueryMeta Parse(ReadOnlySpan<byte> tail)
    {
        var at = tail.LastIndexOf(MetaName);
        if (at < 0)
        {
            return QueryMeta.None;
        }

        var rest = tail[(at + MetaName.Length)..].TrimStart(" \t\r\n"u8);
        if (rest.IsEmpty || rest[0] != (byte)':')
        {
            return QueryMeta.None;
        }

        rest = rest[1..].TrimStart(" \t\r\n"u8);
        if (rest.IsEmpty || rest[0] != (byte)'{')
        {
            return QueryMeta.None;
        }

        try
        {
            return ReadMeta(rest);
        }
        catch (JsonException)
        {
            return QueryMeta.None;
        }
    }

    /// <summary>The <c>error.code</c> of an error answer (<c>invalid_query</c>, <c>timeout</c>, …), or null.</summary>
    public static string? ErrorCode(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            var inError = false;
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName)
                {
                    continue;
                }

                if (reader.CurrentDepth == 1 && reader.ValueTextEquals("error"u8))
                {
                    inError = true;
                }
                else if (inError && reader.CurrentDepth == 2 && reader.ValueTextEquals("code"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    return reader.GetString();
                }
                else if (reader.CurrentDepth == 1)
                {
                    inError = false;
                }
            }
        }
        catch (JsonException)
        {
            // A body that is not JSON (a proxy's page, a cut answer): no code.
        }

        return null;
    }

    private static QueryMeta ReadMeta(ReadOnlySpan<byte> json)
    {
        // The object is read token by token and the reader left as soon as it closes: what follows
        // (the root's closing brace) would be an error to a reader expecting a single value.
        var reader = new Utf8JsonReader(json, isFinalBlock: false, state: default);
        double executionMs = 0;
        long rows = 0;
        var cached = false;
        var source = "";
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return QueryMeta.None;
        }

        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0)
            {
                return new QueryMeta(true, executionMs, rows, cached, source);
            }

            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
            {
                continue;
            }

            if (reader.ValueTextEquals("execution_time_ms"u8))
            {
                executionMs = reader.Read() && reader.TokenType == JsonTokenType.Number ? reader.GetDouble() : 0;
            }
            else if (reader.ValueTextEquals("row_count"u8))
            {
                rows = reader.Read() && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var r) ? r : 0;
            }
            else if (reader.ValueTextEquals("cached"u8))
            {
                cached = reader.Read() && reader.TokenType == JsonTokenType.True;
            }
            else if (reader.ValueTextEquals("source"u8))
            {
                source = reader.Read() && reader.TokenType == JsonTokenType.String ? Source(ref reader) : "";
            }
        }

        return QueryMeta.None; // the object did not close: a cut body
    }

    /// <summary>The hub's two sources without a string per answer; anything else as read.</summary>
    private static string Source(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("rollup"u8) ? "rollup"
        : reader.ValueTextEquals("store"u8) ? "store"
        : reader.GetString() ?? "";
}
