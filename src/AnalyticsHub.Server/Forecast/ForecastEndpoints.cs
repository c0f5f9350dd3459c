using System.Diagnostics;
using AnalyticsHub.Analytics.Forecasting;
using AnalyticsHub.Core.Query;
using AnalyticsHub.Server.Endpoints;
using AnalyticsHub.Server.Query;

namespace AnalyticsHub.Server.Forecast;

/// <summary>
/// <c>POST /api/v1/forecast</c>: forecasts a series sent in the body (see <see cref="ForecastRequestReader"/> for the
/// fields). 200 with points, bounds, models, weights and validation errors; 400 with every problem found and what to
/// change; 413 for a body over the limit; 415 when not JSON; 422 when no model can forecast the series; 429 (Retry-After)
/// when the forecasts allowed to run at once already are. The engine is CPU work bounded by the point and horizon
/// limits, so it runs inline on the request.
/// </summary>
public static class ForecastEndpoints
{
    private const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Forecasts running at once: half the cores, so a burst of forecasts cannot take the CPU ingestion needs.</summary>
    private static readonly int MaxConcurrentForecasts = Math.Max(1, Environment.ProcessorCount / 2);

    private static readonly SemaphoreSlim Gate = new(MaxConcurrentForecasts, MaxConcurrentForecasts);

    private static readonly string[] ModelNames = [.. ForecastModelCatalog.Candidates.Select(m => m.Name)];

    public static void MapForecastEndpoints(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/api/v1/forecast", ForecastAsync);

    private static async Task ForecastAsync(HttpContext context)
    {
        var began = Stopwatch.GetTimestamp();
        var body = await JsonRequests.ReadJsonBodyAsync(context, MaxBodyBytes, "forecast", "send fewer points", began).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }
        var parsed = ForecastRequestReader.Read(body.Value, ModelNames);
        if (!parsed.IsValid)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_forecast", QueryEndpoints.Summary(parsed.Errors), parsed.Errors, began).ConfigureAwait(false);
            return;
        }
        if (!Gate.Wait(0))
        {
            context.Response.Headers.RetryAfter = "1";
            await ErrorAsync(context, StatusCodes.Status429TooManyRequests, "busy",
                $"{MaxConcurrentForecasts} forecasts are already running (they are CPU work, bounded so ingestion keeps its share); retry shortly.", null, began).ConfigureAwait(false);
            return;
        }

        ForecastAnswer answer;
        try
        {
            answer = ForecastRunner.Run(parsed.Value);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            await ErrorAsync(context, StatusCodes.Status422UnprocessableEntity, "cannot_forecast", "No model could forecast this series: " + e.Message, null, began).ConfigureAwait(false);
            return;
        }
        finally
        {
            Gate.Release();
        }
        double tookMs = Stopwatch.GetElapsedTime(began).TotalMilliseconds;
        await JsonRequests.WriteJsonAsync(context, StatusCodes.Status200OK, output => ForecastJsonWriter.Write(output, answer, tookMs)).ConfigureAwait(false);
    }

    private static Task ErrorAsync(HttpContext context, int status, string code, string message, IReadOnlyList<QueryError>? details, long began) =>
        JsonRequests.WriteErrorAsync(context, status, code, message, details, Stopwatch.GetElapsedTime(began).TotalMilliseconds);
}
