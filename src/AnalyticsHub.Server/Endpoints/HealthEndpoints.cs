using System.Text.Json.Serialization;
using AnalyticsHub.Server.Hosting;

namespace AnalyticsHub.Server.Endpoints;

/// <summary><c>GET /healthz</c> (the process answers) and <c>GET /readyz</c> (it can take traffic).</summary>
public static class HealthEndpoints
{
    public static void MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Json(new LivenessReport("alive"), HubJsonContext.Default.LivenessReport));
        endpoints.MapGet("/readyz", (ReadinessProbe probe) =>
        {
            var report = probe.Check();
            return Results.Json(
                report,
                HubJsonContext.Default.ReadinessReport,
                statusCode: report.Status == "ready" ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
    }
}

public sealed record LivenessReport(string Status);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(LivenessReport))]
[JsonSerializable(typeof(ReadinessReport))]
internal sealed partial class HubJsonContext : JsonSerializerContext;
