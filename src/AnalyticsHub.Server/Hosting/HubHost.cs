using AnalyticsHub.Server.Storage;
using AnalyticsHub.Protocol.Server;
using AnalyticsHub.Server.Anomalies;
using AnalyticsHub.Server.Configuration;
using AnalyticsHub.Server.Endpoints;
using AnalyticsHub.Server.Forecast;
using AnalyticsHub.Server.Ingestion;
using AnalyticsHub.Server.Metrics;
using AnalyticsHub.Server.Query;
using AnalyticsHub.Server.Rollups;

namespace AnalyticsHub.Server.Hosting;

/// <summary>Builds the hub: configuration, logging, Kestrel endpoints, gRPC services and HTTP endpoints.</summary>
public static class HubHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });

        var hub = builder.Configuration.GetSection(HubOptions.SectionName).Get<HubOptions>() ?? new HubOptions();
        var errors = HubOptionsValidation.Validate(hub);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Invalid configuration:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)));
        }

        builder.Services.Configure<HubOptions>(builder.Configuration.GetSection(HubOptions.SectionName));
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(json => json.UseUtcTimestamp = true);

        var drain = TimeSpan.FromSeconds(hub.Grpc.ShutdownDrainSeconds);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = drain + TimeSpan.FromSeconds(10));
        builder.WebHost.ConfigureKestrel(kestrel => KestrelEndpoints.Configure(kestrel, hub));
        builder.Services.AddGrpcServer(grpc =>
        {
            grpc.MaxReceiveMessageSize = hub.Grpc.MaxReceiveMessageSize;
            grpc.ShutdownDrainTimeout = drain;
        });
        builder.Services.AddSingleton<ReadinessProbe>();
        builder.Services.AddPrometheusMetrics();
        builder.Services.AddIngestion(hub);
        builder.Services.AddStorage(hub);
        builder.Services.AddRollups(hub);
        builder.Services.AddQueries(hub);

        var app = builder.Build();
        HubLog.Starting(app.Logger, Path.GetFullPath(hub.DataDir), hub.Ports.Grpc, hub.Ports.Http, hub.Ports.Metrics, hub.Tls.Enabled, hub.Storage.Kind);
        app.Services.GetRequiredService<ProcessMetrics>();
        if (hub.Ports.Metrics != 0)
        {
            app.UseMetricsPort(hub.Ports.Metrics);
        }

        app.UseGrpcServer();
        app.MapGrpcHealth();
        app.MapIngestion(hub);
        app.MapGrpcReflection();
        app.MapHealthEndpoints();
        app.UseWebSockets();
        app.MapEventEndpoints(hub.Rest);
        app.MapEventSocket(hub.Rest);
        app.MapDeadLetterEndpoints();
        app.MapRollups(hub);
        app.MapQueries();
        app.MapForecastEndpoints();
        app.MapAnomalyEndpoints();
        return app;
    }
}
