using System.Buffers;
using System.Globalization;
using System.Text.Json;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Server.DeadLetters;
using AnalyticsHub.Server.Ingestion;
using AnalyticsHub.Storage.DeadLetters;

namespace AnalyticsHub.Server.Endpoints;

/// <summary>
/// <c>GET /api/v1/dlq</c>: dead letters, oldest first, filtered by <c>tenant_id</c>, <c>code</c>,
/// <c>source_module</c>, <c>event_id</c>, <c>producer_id</c>, <c>from</c>/<c>to</c> (ISO-8601),
/// <c>replayed</c>, paged by <c>limit</c> (1–1000) and <c>cursor</c>.
/// <c>POST /api/v1/dlq/replay</c>: <c>{"ids":[…]}</c> or <c>{"filter":{…same keys…},"limit":N}</c>
/// (at most 1000 letters) through the pipeline again; answers each letter's outcome.
/// </summary>
public static class DeadLetterEndpoints
{
    public static void MapDeadLetterEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/v1/dlq", ListAsync);
        endpoints.MapPost("/api/v1/dlq/replay", ReplayAsync);
    }

    private static async Task ListAsync(HttpContext context, DeadLetterStore store)
    {
        DeadLetterPage page;
        try
        {
            var query = ParseQuery(key => context.Request.Query.TryGetValue(key, out var v) ? v.ToString() : null);
            page = store.List(query);
        }
        catch (ArgumentException e)
        {
            await EventEndpoints.ErrorAsync(context.Response, StatusCodes.Status400BadRequest, "invalid_parameter", e.Message).ConfigureAwait(false);
            return;
        }
        catch (DeadLetterStoreUnavailableException e)
        {
            await EventEndpoints.ErrorAsync(context.Response, StatusCodes.Status503ServiceUnavailable, "unavailable", e.Message).ConfigureAwait(false);
            return;
        }

        var output = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(output, HubJsonWriter.Options))
        {
            json.WriteStartObject();
            json.WriteStartArray("items");
            foreach (var item in page.Items)
            {
                WriteLetter(json, item);
            }
            json.WriteEndArray();
            if (page.NextCursor is { } cursor)
            {
                json.WriteString("next_cursor", cursor);
            }
            else
            {
                json.WriteNull("next_cursor");
            }
            json.WriteEndObject();
        }
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.WriteAsync(output.WrittenMemory).ConfigureAwait(false);
    }

    private static async Task ReplayAsync(HttpContext context, DeadLetterStore store, DeadLetterReplayer replayer, IngestPipeline pipeline)
    {
        IReadOnlyList<DeadLetter> letters;
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, new JsonDocumentOptions { MaxDepth = 8 }, context.RequestAborted).ConfigureAwait(false);
            letters = SelectLetters(body.RootElement, store, Math.Min(DeadLetterQuery.MaxLimit, pipeline.MaxEventsPerBatch));
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException)
        {
            await EventEndpoints.ErrorAsync(context.Response, StatusCodes.Status400BadRequest, "invalid_request",
                "Send {\"ids\":[1,2]} or {\"filter\":{\"code\":\"unknown_currency\"},\"limit\":100}: " + e.Message).ConfigureAwait(false);
            return;
        }

        var report = await replayer.ReplayAsync(letters).ConfigureAwait(false);
        if (report.Status != ReplayStatus.Done)
        {
            if (report.Status == ReplayStatus.Busy)
            {
                context.Response.Headers.RetryAfter = "1";
            }
            await EventEndpoints.ErrorAsync(context.Response,
                report.Status == ReplayStatus.Busy ? StatusCodes.Status429TooManyRequests : StatusCodes.Status503ServiceUnavailable,
                report.Status == ReplayStatus.Busy ? "backpressure" : "unavailable", report.Error ?? "").ConfigureAwait(false);
            return;
        }

        var output = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(output, HubJsonWriter.Options))
        {
            json.WriteStartObject();
            json.WriteNumber("replayed", report.Results.Count);
            json.WriteNumber("accepted", report.Results.Count(r => r.Outcome == "accepted"));
            json.WriteNumber("rejected", report.Results.Count(r => r.Outcome.StartsWith("rejected", StringComparison.Ordinal)));
            json.WriteNumber("duplicates", report.Results.Count(r => r.Outcome == "duplicate"));
            json.WriteStartArray("results");
            foreach (var result in report.Results)
            {
                json.WriteStartObject();
                json.WriteNumber("id", result.Id);
                json.WriteString("outcome", result.Outcome);
                if (result.Message is not null)
                {
                    json.WriteString("message", result.Message);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.WriteAsync(output.WrittenMemory).ConfigureAwait(false);
    }

    private static IReadOnlyList<DeadLetter> SelectLetters(JsonElement root, DeadLetterStore store, int max)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("the body must be a JSON object.");
        }

        if (root.TryGetProperty("ids", out var ids))
        {
            if (ids.ValueKind != JsonValueKind.Array || ids.GetArrayLength() is 0 || ids.GetArrayLength() > max)
            {
                throw new ArgumentException($"\"ids\" must be an array of 1 to {max} dead-letter ids.");
            }
            return store.Get(ids.EnumerateArray().Select(id => id.GetInt64()).ToHashSet());
        }

        if (root.TryGetProperty("filter", out var filter))
        {
            if (filter.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException("\"filter\" must be an object.");
            }
            int limit = root.TryGetProperty("limit", out var l) ? l.GetInt32() : 100;
            if (limit < 1 || limit > max)
            {
                throw new ArgumentException($"\"limit\" must be 1 to {max}.");
            }
            var query = ParseQuery(key => filter.TryGetProperty(key, out var v)
                ? (v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()) : null) with { Limit = limit, Cursor = null };
            return store.List(query).Items.Select(i => i.Letter).ToList();
        }

        throw new ArgumentException("give \"ids\" or \"filter\".");
    }

    private static DeadLetterQuery ParseQuery(Func<string, string?> get)
    {
        var query = new DeadLetterQuery
        {
            TenantId = get("tenant_id"),
            Code = get("code"),
            EventId = get("event_id"),
            ProducerId = get("producer_id"),
            Cursor = get("cursor"),
        };
        if (get("source_module") is { } module)
        {
            query = query with { SourceModule = SourceModuleNames.TryParseModule(module, out var m) ? m : throw new ArgumentException($"source_module '{module}' is not a module (e.g. llm-observatory).") };
        }
        if (get("from") is { } from)
        {
            query = query with { From = ParseTime("from", from) };
        }
        if (get("to") is { } to)
        {
            query = query with { To = ParseTime("to", to) };
        }
        if (get("replayed") is { } replayed)
        {
            query = query with { Replayed = bool.TryParse(replayed, out var r) ? r : throw new ArgumentException("replayed must be true or false.") };
        }
        if (get("limit") is { } limit)
        {
            query = query with { Limit = int.TryParse(limit, CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException("limit must be an integer 1–1000.") };
        }
        return query;
    }

    private static DateTimeOffset ParseTime(string name, string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new ArgumentException($"{name} '{text}' is not an ISO-8601 time.");

    private static void WriteLetter(Utf8JsonWriter json, DeadLetterView view)
    {
        var letter = view.Letter;
        json.WriteStartObject();
        json.WriteNumber("id", letter.Id);
        json.WriteString("received_at", letter.ReceivedAt);
        json.WriteString("tenant_id", letter.TenantId);
        json.WriteString("source_module", SourceModuleNames.Name(letter.SourceModule));
        json.WriteString("event_id", letter.EventId);
        json.WriteString("code", letter.Code);
        json.WriteString("message", letter.Message);
        json.WriteString("producer_id", letter.ProducerId);
        json.WriteNumber("sequence", letter.Sequence);
        json.WriteNumber("index", letter.Index);
        json.WriteBase64String("event", letter.Event);
        if (view.ReplayedAt is { } replayedAt)
        {
            json.WriteString("replayed_at", replayedAt);
            json.WriteString("replay_outcome", view.ReplayOutcome);
        }
        json.WriteEndObject();
    }
}
