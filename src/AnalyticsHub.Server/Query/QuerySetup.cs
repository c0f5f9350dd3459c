using AnalyticsHub.Core.Rollups;
using AnalyticsHub.Protocol.Server;
using AnalyticsHub.Server.Configuration;
using AnalyticsHub.Storage.Stores;

namespace AnalyticsHub.Server.Query;

/// <summary>Builds the query executor, its cache and metrics, and serves QueryService and the REST query endpoints.</summary>
public static class QuerySetup
{
    public static IServiceCollection AddQueries(this IServiceCollection services, HubOptions hub)
    {
        services.AddSingleton<QueryMetrics>();
        services.AddSingleton(sp => new QueryResultCache(hub.Query.CacheEntries, sp.GetRequiredService<QueryMetrics>()));
        services.AddSingleton(sp => (IEventQueries)sp.GetRequiredService<IEventStore>());
        services.AddSingleton(sp => new QueryExecutor(
            sp.GetRequiredService<RollupEngine>(), sp.GetRequiredService<Rollups.RollupStatus>(), sp.GetRequiredService<IRollupStore>(), sp.GetRequiredService<IEventQueries>(),
            sp.GetRequiredService<QueryResultCache>(), sp.GetRequiredService<QueryMetrics>(), hub));
        services.AddSingleton<QueryGrpcService>();
        return services;
    }

    public static void MapQueries(this WebApplication app)
    {
        app.Services.GetRequiredService<QueryGrpcService>().Register(app.GrpcServices());
        app.MapQueryEndpoints();
    }
}
