using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

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
        return services;
    }

    /// <summary>Adds the gRPC middleware; place it before anything that reads request bodies.</summary>
    public static IApplicationBuilder UseGrpcServer(this IApplicationBuilder app) => app.UseMiddleware<GrpcMiddleware>();

    /// <summary>The registry to bind services into.</summary>
    public static GrpcServiceRegistry GrpcServices(this IApplicationBuilder app) =>
        app.ApplicationServices.GetRequiredService<GrpcServiceRegistry>();
}
