namespace AnalyticsHub.Server.Metrics;

/// <summary>Registers the Prometheus exporter and the process metrics.</summary>
public static class MetricsSetup
{
    public static IServiceCollection AddPrometheusMetrics(this IServiceCollection services)
    {
        // Resolved by UseMetricsPort while the app is built, before any request or hosted service records a
        // measurement; its MeterListener is also told of instruments created before it started.
        services.AddSingleton(_ => new PrometheusExporter(PrometheusExporter.IsHubOrRuntimeMeter));
        services.AddSingleton<ProcessMetrics>();
        return services;
    }
}
