using AnalyticsHub.Server.Configuration;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AnalyticsHub.Server.Tracing;

/// <summary>
/// Builds the tracer provider from <c>Hub:Tracing</c> when an OTLP endpoint is set: the hub's activity source, a
/// parent-based ratio sampler, and a batching OTLP exporter. Without an endpoint nothing is registered, so nothing
/// listens to <see cref="HubActivitySource"/> and no span is ever created.
/// </summary>
public static class TracingSetup
{
    /// <summary>The signal path an OTLP/HTTP collector takes traces on.</summary>
    public const string HttpTracesPath = "v1/traces";

    public static IServiceCollection AddTracing(this IServiceCollection services, HubOptions hub)
    {
        if (hub.Tracing.Enabled)
        {
            services.AddSingleton(_ => new TracerProviderLifetime(Build(hub.Tracing)));
        }
        return services;
    }

    public static TracerProvider Build(TracingOptions tracing)
    {
        var version = typeof(TracingSetup).Assembly.GetName().Version?.ToString();
        return Sdk.CreateTracerProviderBuilder()
            .AddSource(HubActivitySource.Name)
            .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(tracing.ServiceName, serviceVersion: version, serviceInstanceId: Environment.MachineName))
            .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(tracing.SampleRatio)))
            .AddOtlpExporter(otlp =>
            {
                otlp.Protocol = tracing.Protocol == TracingOptions.HttpProtobuf ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                otlp.Endpoint = ExportEndpoint(tracing);
                otlp.ExportProcessorType = ExportProcessorType.Batch;
                otlp.BatchExportProcessorOptions.ScheduledDelayMilliseconds = tracing.ExportIntervalMs;
            })
            .Build();
    }

    /// <summary>
    /// Where spans are sent. The exporter takes an endpoint set in code as the full URL (it appends the signal path only to
    /// one from OTEL_EXPORTER_OTLP_ENDPOINT), so for OTLP/HTTP the hub adds <c>/v1/traces</c> to the collector's base URL.
    /// </summary>
    public static Uri ExportEndpoint(TracingOptions tracing)
    {
        var endpoint = new Uri(tracing.OtlpEndpoint, UriKind.Absolute);
        if (tracing.Protocol != TracingOptions.HttpProtobuf || endpoint.AbsolutePath.EndsWith("/" + HttpTracesPath, StringComparison.Ordinal))
        {
            return endpoint;
        }

        var builder = new UriBuilder(endpoint);
        builder.Path = builder.Path.TrimEnd('/') + "/" + HttpTracesPath;
        return builder.Uri;
    }
}
