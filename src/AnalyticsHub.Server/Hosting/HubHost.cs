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
using AnalyticsHub.Server.Tracing;
using Microsoft.Extensions.Options;

namespace AnalyticsHub.Server.Hosting;

/// <summary>Builds the hub: configuration, logging, Kestrel endpoints, gRPC services and HTTP endpoints.</summary>
public static class HubHost
{
    public static WebApplication Build(string[] args)
    {
        var configPath = OperatorConfigFile.Locate(args, out var hostArgs);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = hostArgs,
            ContentRootPath = AppContext.BaseDirectory,
        });
        var configFile = configPath is null ? null : OperatorConfigFile.Add(builder.Configuration, configPath);

        var hub = BindHubOptions(builder.Configuration);
        var errors = HubOptionsValidation.Validate(hub);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Invalid configuration:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)));
        }

        // Bound once: components get these values at startup and keep them (only Logging follows a reload).
        builder.Services.AddSingleton(Options.Create(hub));
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
        builder.Services.AddSingleton(_ => new AnomalyFeedbackStore(hub.DataDir));
        // Opened (and replayed) at start, after the WAL has checked the data directory, not on the first label.
        builder.Services.AddHostedService<AnomalyFeedbackStartup>();
        builder.Services.AddTracing(hub);
        builder.Services.AddSingleton(sp => ConfigReloadReporter.Start(
            sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HubHost).FullName!), configFile, configPath is null ? null : Path.GetFullPath(configPath)));

        var app = builder.Build();
        HubLog.Starting(app.Logger, Path.GetFullPath(hub.DataDir), hub.Ports.Grpc, hub.Ports.Http, hub.Ports.Metrics, hub.Tls.Enabled, hub.Storage.Kind);
        app.Services.GetRequiredService<ConfigReloadReporter>();
        if (app.Services.GetService<TracerProviderLifetime>() is not null)
        {
            HubLog.TracingOn(app.Logger, HubActivitySource.Name, hub.Tracing.Protocol, TracingSetup.ExportEndpoint(hub.Tracing), hub.Tracing.SampleRatio);
        }
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

    /// <summary>The Hub section as options; a value of the wrong type (e.g. a word for a number) is a configuration error, not a crash.</summary>
    private static HubOptions BindHubOptions(IConfiguration configuration)
    {
        try
        {
            return configuration.GetSection(HubOptions.SectionName).Get<HubOptions>() ?? new HubOptions();
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException("Invalid configuration:" + Environment.NewLine + "  - " + e.Message + (e.InnerException is null ? "" : " " + e.InnerException.Message), e);
        }
    }
}
