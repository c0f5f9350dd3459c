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
        var cache = new QueryCacheSettings(
            hub.Query.CacheEntries, hub.Query.CacheMegabytes * 1024L * 1024, TimeSpan.FromSeconds(hub.Query.LiveEdgeSeconds), TimeSpan.FromMilliseconds(hub.Query.LiveEdgeMaxLagMs));
        services.AddSingleton(sp => new QueryResultCache(cache, sp.GetRequiredService<QueryMetrics>()));
        services.AddSingleton(new PersistedRowsCache(
            hub.Query.StoreRowsCacheEntries, hub.Query.StoreRowsCacheMegabytes * 1024L * 1024, TimeSpan.FromSeconds(hub.Query.StoreRowsCacheSeconds)));
        services.AddSingleton(sp => (IEventQueries)sp.GetRequiredService<IEventStore>());
        services.AddSingleton(sp => new QueryExecutor(
            sp.GetRequiredService<RollupEngine>(), sp.GetRequiredService<Rollups.RollupStatus>(), sp.GetRequiredService<IRollupStore>(), sp.GetRequiredService<IEventQueries>(),
            sp.GetRequiredService<QueryResultCache>(), sp.GetRequiredService<PersistedRowsCache>(), sp.GetRequiredService<QueryMetrics>(), hub,
            sp.GetRequiredService<ILogger<QueryExecutor>>()));
        services.AddSingleton<QueryGrpcService>();
        return services;
    }

    public static void MapQueries(this WebApplication app)
    {
        app.Services.GetRequiredService<QueryGrpcService>().Register(app.GrpcServices());
        app.MapQueryEndpoints();
    }
}
