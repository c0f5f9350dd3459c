namespace AnalyticsHub.Server.Metrics;

/// <summary>
/// <c>GET /metrics</c> on the metrics port, and nothing else there: the port an operator opens to
/// the scraper exposes no API, and the API port exposes no metrics. Decided by the connection's
/// local port (not the Host header, which a client chooses).
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    /// <summary>Answers every request arriving on <paramref name="metricsPort"/>; other ports pass through.</summary>
    public static IApplicationBuilder UseMetricsPort(this IApplicationBuilder app, int metricsPort)
    {
        var exporter = app.ApplicationServices.GetRequiredService<PrometheusExporter>();
        return app.Use((context, next) => context.Connection.LocalPort == metricsPort ? HandleAsync(context, exporter) : next(context));
    }

    private static async Task HandleAsync(HttpContext context, PrometheusExporter exporter)
    {
        var request = context.Request;
        var response = context.Response;
        if (!request.Path.Equals(Path, StringComparison.Ordinal))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "GET, HEAD";
            return;
        }

        var format = ExpositionFormats.Negotiate(request.Headers.Accept.ToString());
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ExpositionFormats.ContentType(format);
        response.Headers.CacheControl = "no-store";
        response.Headers.Vary = "Accept";
        if (HttpMethods.IsHead(request.Method))
        {
            return;
        }

        // Rendered synchronously into the response pipe's own buffers, then sent in one flush.
        exporter.Write(response.BodyWriter, format);
        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}
