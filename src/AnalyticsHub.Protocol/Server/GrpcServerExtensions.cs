using AnalyticsHub.Protocol.Health;
using AnalyticsHub.Protocol.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AnalyticsHub.Protocol.Server;

/// <summary>Wires the gRPC server into an ASP.NET Core host.</summary>
public static class GrpcServerExtensions
{
    public static IServiceCollection AddGrpcServer(this IServiceCollection services, Action<GrpcServerOptions>? configure = null)
    {
        var options = services.AddOptions<GrpcServerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddSingleton<GrpcServiceRegistry>();
        services.AddSingleton<GrpcServerLifetime>();
        services.AddSingleton<HealthService>();
        services.AddSingleton<ReflectionService>();
        return services;
    }

    /// <summary>Adds the gRPC middleware; place it before anything that reads request bodies.</summary>
    public static IApplicationBuilder UseGrpcServer(this IApplicationBuilder app) => app.UseMiddleware<GrpcMiddleware>();

    /// <summary>
    /// Serves <c>grpc.health.v1.Health</c>; every status turns NOT_SERVING when shutdown starts.
    /// </summary>
    public static HealthService MapGrpcHealth(this IApplicationBuilder app)
    {
        var health = app.ApplicationServices.GetRequiredService<HealthService>();
        health.Register();
        app.ApplicationServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(health.SetAllNotServing);
        return health;
    }

    /// <summary>Serves server reflection (v1 and v1alpha) for every service registered with a descriptor.</summary>
    public static void MapGrpcReflection(this IApplicationBuilder app) =>
        app.ApplicationServices.GetRequiredService<ReflectionService>().Register();

    /// <summary>The registry to bind services into.</summary>
    public static GrpcServiceRegistry GrpcServices(this IApplicationBuilder app) =>
        app.ApplicationServices.GetRequiredService<GrpcServiceRegistry>();
}
