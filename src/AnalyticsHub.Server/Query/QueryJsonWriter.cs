using System.Buffers;
using System.IO.Pipelines;
using System.Globalization;
using System.Text.Json;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Query;
using AnalyticsHub.Server.Endpoints;

namespace AnalyticsHub.Server.Query;

/// <summary>
/// The REST answers of the query API, in the seed's response shape:
/// <c>{"status": "success"|"error", "data": …, "error": null|{code, message, details}, "meta": {execution_time_ms, row_count, cached, source, …}}</c>.
/// The metric <c>data</c> object is <see cref="QueryDataWriter"/>'s.
/// </summary>
public static class QueryJsonWriter
{
    /// <summary>
    /// Writes <paramref name="answer"/> into <paramref name="body"/>: the <c>data</c> object comes rendered from the cache
    /// entry (made once, shared by every hit) or, for store answers, rendered here; <c>meta</c> is written per request.
    /// </summary>
    public static async Task WriteResultAsync(PipeWriter body, MetricQuery query, QueryAnswer answer, QueryResultCache cache, CancellationToken cancellationToken)
    {
        ChunkedBuffer data;
        long? asOf = null;
        if (answer.Cached is { } cached)
        {
            data = cache.Render(query, cached, query.Format);
            asOf = cached.AsOfUnixNano;
        }
        else
        {
            data = new ChunkedBuffer();
            using (var json = new Utf8JsonWriter(data, HubJsonWriter.Options))
            {
                QueryDataWriter.Write(json, query, answer.Result, query.Format);
            }
            data.Complete();
        }

        body.Write("{\"status\":\"success\",\"data\":"u8);
        await data.WriteToAsync(body, cancellationToken).ConfigureAwait(false);
        body.Write(",\"error\":null,\"meta\":"u8);
        var result = answer.Result;
        using (var json = new Utf8JsonWriter(body, HubJsonWriter.Options))
        {
            json.WriteStartObject();
            json.WriteNumber("execution_time_ms", Math.Round(answer.TookMs, 3));
            json.WriteNumber("row_count", result.RowCount);
            json.WriteBoolean("cached", result.Cached);
            json.WriteString("source", result.Source);
            json.WriteString("start", Time(query.StartUnixNano));
            json.WriteString("end", Time(query.EndUnixNano));
            json.WriteString("time_bucket", query.BucketSeconds == 0 ? "" : QueryNames.BucketName(query.BucketSeconds));
            if (asOf is { } through)
            {
                json.WriteString("as_of", Time(through));
            }
            json.WriteEndObject();
        }
        body.Write("}"u8);
    }

    public static void WriteSearch(IBufferWriter<byte> output, EventSearchPage page, double tookMs)
    {
        using var json = new Utf8JsonWriter(output, HubJsonWriter.Options);
        json.WriteStartObject();
        json.WriteString("status", "success");
        json.WriteStartObject("data");
        json.WriteStartArray("events");
        foreach (var e in page.Events)
        {
            WriteEvent(json, e);
        }
        json.WriteEndArray();
        if (page.Next is { } next)
        {
            json.WriteString("next_cursor", SearchCursorCodec.Encode(next));
        }
        else
        {
            json.WriteNull("next_cursor");
        }
        json.WriteEndObject();
        json.WriteNull("error");
        json.WriteStartObject("meta");
        json.WriteNumber("execution_time_ms", Math.Round(tookMs, 3));
        json.WriteNumber("row_count", page.Events.Count);
        json.WriteBoolean("cached", false);
        json.WriteString("source", QueryExecutor.StoreSource);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    public static void WriteError(IBufferWriter<byte> output, string code, string message, IReadOnlyList<QueryError>? details, double tookMs = 0)
    {
        using var json = new Utf8JsonWriter(output, HubJsonWriter.Options);
        json.WriteStartObject();
        json.WriteString("status", "error");
        json.WriteNull("data");
        json.WriteStartObject("error");
        json.WriteString("code", code);
        json.WriteString("message", message);
        json.WriteStartArray("details");
        foreach (var detail in details ?? [])
        {
            json.WriteStartObject();
            json.WriteString("field", detail.Field);
            json.WriteString("message", detail.Message);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteStartObject("meta");
        json.WriteNumber("execution_time_ms", Math.Round(tookMs, 3));
        json.WriteNumber("row_count", 0);
        json.WriteBoolean("cached", false);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteEvent(Utf8JsonWriter json, SearchedEvent e)
    {
        json.WriteStartObject();
        json.WriteString("event_id", e.EventId);
        json.WriteString("tenant_id", e.TenantId);
        json.WriteString("timestamp", Time(e.TimeUnixNano));
        json.WriteNumber("time_unix_nano", e.TimeUnixNano);
        json.WriteString("received_at", Time(e.ReceivedUnixNano));
        json.WriteString("source_module", SourceModuleNames.Name(e.SourceModule));
        json.WriteString("event_type", EnumNames.Of(e.EventType));
        json.WriteString("severity", EnumNames.Of(e.Severity));
        json.WriteString("schema_version", e.SchemaVersion);
        json.WriteString("correlation_id", e.CorrelationId);
        json.WriteString("parent_event_id", e.ParentEventId);
        json.WriteString("environment", e.Environment);
        json.WriteString("asset_id", e.AssetId);
        WriteRaw(json, "tags", e.TagsJson);
        json.WriteString("name", e.Name);
        json.WriteNumberOrNull("value", e.Value);
        json.WriteString("unit", e.Unit);
        json.WriteNumber("input_tokens", e.InputTokens);
        json.WriteNumber("output_tokens", e.OutputTokens);
        WriteRaw(json, "payload", e.PayloadJson);
        json.WriteEndObject();
    }

    /// <summary>A stored JSON object as is; text that does not parse (damage) as a string rather than a broken answer.</summary>
    private static void WriteRaw(Utf8JsonWriter json, string name, string raw)
    {
        json.WritePropertyName(name);
        try
        {
            using var document = JsonDocument.Parse(raw);
            document.RootElement.WriteTo(json);
        }
        catch (JsonException)
        {
            json.WriteStringValue(raw);
        }
    }

    internal static string Time(long unixNano)
    {
        long seconds = Math.DivRem(unixNano, 1_000_000_000L, out long nanos);
        if (nanos < 0)
        {
            seconds--;
            nanos += 1_000_000_000L;
        }
        var time = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, -62135596800L, 253402300799L)).UtcDateTime;
        return time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "." + nanos.ToString("D9", CultureInfo.InvariantCulture) + "Z";
    }
}
