using System.Diagnostics;
using System.Text.Json;
using AnalyticsHub.Core.Query;
using AnalyticsHub.Server.Endpoints;
using AnalyticsHub.Server.Query;

namespace AnalyticsHub.Server.Anomalies;

/// <summary>
/// <c>POST /api/v1/anomalies/feedback</c>: an operator marks a point of a series as a false positive or a missed
/// anomaly; the series' alert threshold moves (<see cref="Analytics.Anomalies.Feedback.SeriesAlertThreshold"/>) and the
/// label is on disk before the 200. <c>GET /api/v1/anomalies/feedback?series=NAME</c>: the series' threshold and
/// latest labels. <c>POST /api/v1/anomalies/detect</c> with the same <c>series</c> alerts from that threshold.
/// </summary>
internal static class AnomalyFeedbackEndpoints
{
    private const int MaxBodyBytes = 16 * 1024;

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/v1/anomalies/feedback", RecordAsync);
        endpoints.MapGet("/api/v1/anomalies/feedback", GetAsync);
    }

    private static async Task RecordAsync(HttpContext context, AnomalyFeedbackStore store)
    {
        var began = Stopwatch.GetTimestamp();
        var body = await JsonRequests.ReadJsonBodyAsync(context, MaxBodyBytes, "feedback", "label one point per request", began).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        var parsed = AnomalyFeedbackRequestReader.Read(body.Value);
        if (!parsed.IsValid)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_feedback", QueryEndpoints.Summary(parsed.Errors), parsed.Errors, began).ConfigureAwait(false);
            return;
        }

        var request = parsed.Value;
        bool recorded;
        double before, after;
        try
        {
            recorded = store.TryRecord(request.Series, request.Label, DateTimeOffset.UtcNow, out before, out after);
        }
        catch (IOException e)
        {
            await ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "feedback_unavailable", "The label could not be written to disk (" + e.Message + "); nothing was recorded, try again.", null, began).ConfigureAwait(false);
            return;
        }

        if (!recorded)
        {
            await ErrorAsync(context, StatusCodes.Status409Conflict, "too_many_series", $"Feedback is kept for at most {AnomalyFeedbackStore.MaxSeries:N0} series; label a series that already has feedback.", null, began).ConfigureAwait(false);
            return;
        }

        var labels = store.Get(request.Series).Labels.Count;
        await JsonRequests.WriteJsonAsync(context, StatusCodes.Status200OK, output =>
        {
            using var json = new Utf8JsonWriter(output, HubJsonWriter.Options);
            json.WriteStartObject();
            json.WriteString("status", "success");
            json.WriteStartObject("data");
            json.WriteString("series", request.Series);
            json.WriteNumber("threshold_before", before);
            json.WriteNumber("threshold_after", after);
            json.WriteNumber("labels", labels);
            json.WriteEndObject();
            json.WriteNull("error");
            WriteMeta(json, began);
            json.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private static async Task GetAsync(HttpContext context, AnomalyFeedbackStore store)
    {
        var began = Stopwatch.GetTimestamp();
        var errors = new List<QueryError>();
        var series = AnomalyFeedbackRequestReader.CheckSeries(context.Request.Query["series"].Count == 1 ? context.Request.Query["series"][0] : null, errors);
        if (series is null)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_feedback", QueryEndpoints.Summary(errors), errors, began).ConfigureAwait(false);
            return;
        }

        var (threshold, labels) = store.Get(series);
        await JsonRequests.WriteJsonAsync(context, StatusCodes.Status200OK, output =>
        {
            using var json = new Utf8JsonWriter(output, HubJsonWriter.Options);
            json.WriteStartObject();
            json.WriteString("status", "success");
            json.WriteStartObject("data");
            json.WriteString("series", series);
            json.WriteNumber("threshold", threshold);
            json.WriteStartArray("labels");
            foreach (var label in labels)
            {
                json.WriteStartObject();
                json.WriteString("timestamp", SeriesJson.Format(DateTimeOffset.FromUnixTimeSeconds(label.Label.TimestampUnixSeconds)));
                json.WriteString("kind", FeedbackKinds.Name(label.Label.Kind));
                json.WriteNumber("score", label.Label.Score);
                json.WriteString("recorded_at", SeriesJson.Format(label.RecordedAt));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteNull("error");
            WriteMeta(json, began);
            json.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private static void WriteMeta(Utf8JsonWriter json, long began)
    {
        json.WriteStartObject("meta");
        json.WriteNumber("execution_time_ms", Math.Round(JsonRequests.Elapsed(began), 3));
        json.WriteBoolean("cached", false);
        json.WriteEndObject();
    }

    private static Task ErrorAsync(HttpContext context, int status, string code, string message, IReadOnlyList<QueryError>? details, long began) =>
        JsonRequests.WriteErrorAsync(context, status, code, message, details, JsonRequests.Elapsed(began));
}
