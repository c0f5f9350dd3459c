using System.Diagnostics;
using AnalyticsHub.Core.Query;
using AnalyticsHub.Server.Endpoints;
using AnalyticsHub.Server.Query;

namespace AnalyticsHub.Server.Anomalies;

/// <summary>
/// <c>POST /api/v1/anomalies/detect</c>: scores a series sent in the body with one detector (default: the ensemble),
/// point by point as it would run live. 200 with every point's score and expected range and the flagged points'
/// verdicts; 400 with every problem found and what to change; 413 for a body over the limit; 415 when not JSON.
/// Detection is O(points) CPU work bounded by the point limit, so it runs inline on the request.
/// </summary>
public static class AnomalyEndpoints
{
    private const int MaxBodyBytes = 1024 * 1024;

    public static void MapAnomalyEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/v1/anomalies/detect", DetectAsync);
        AnomalyFeedbackEndpoints.Map(endpoints);
    }

    private static async Task DetectAsync(HttpContext context, AnomalyFeedbackStore feedback)
    {
        var began = Stopwatch.GetTimestamp();
        var body = await JsonRequests.ReadJsonBodyAsync(context, MaxBodyBytes, "detection", "send fewer points", began).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }
        var parsed = AnomalyRequestReader.Read(body.Value);
        if (!parsed.IsValid)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_detection", QueryEndpoints.Summary(parsed.Errors), parsed.Errors, began).ConfigureAwait(false);
            return;
        }

        var threshold = parsed.Value.Series is { } series ? feedback.Get(series).Threshold : Analytics.Anomalies.Feedback.SeriesAlertThreshold.Default;
        var answer = AnomalyRunner.Run(parsed.Value, threshold);
        double tookMs = Stopwatch.GetElapsedTime(began).TotalMilliseconds;
        await JsonRequests.WriteJsonAsync(context, StatusCodes.Status200OK, output => AnomalyJsonWriter.Write(output, answer, tookMs)).ConfigureAwait(false);
    }

    private static Task ErrorAsync(HttpContext context, int status, string code, string message, IReadOnlyList<QueryError>? details, long began) =>
        JsonRequests.WriteErrorAsync(context, status, code, message, details, Stopwatch.GetElapsedTime(began).TotalMilliseconds);
}
