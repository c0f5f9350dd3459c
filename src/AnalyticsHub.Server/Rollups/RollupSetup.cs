using AnalyticsHub.Core.Rollups;
using AnalyticsHub.Server.Configuration;
using AnalyticsHub.Storage.Stores;
using AnalyticsHub.Storage.Wal;

namespace AnalyticsHub.Server.Rollups;

/// <summary>Builds the rollup engine from <c>Hub:Rollups</c> and the worker that feeds and persists it.</summary>
public static class RollupSetup
{
    public static IServiceCollection AddRollups(this IServiceCollection services, HubOptions hub)
    {
        services.AddSingleton(_ => new RollupEngine(OptionsFor(hub), RollupWorker.UnixNanosNow()));
        services.AddSingleton(sp => new RollupStatus(sp.GetRequiredService<RollupEngine>()));
        services.AddSingleton(sp => (IRollupStore)sp.GetRequiredService<IEventStore>());
        services.AddSingleton(sp => new RollupWorker(
            sp.GetRequiredService<WriteAheadLog>(), sp.GetRequiredService<RollupEngine>(), sp.GetRequiredService<IRollupStore>(),
            sp.GetRequiredService<RollupStatus>(), hub, sp.GetRequiredService<ILogger<RollupWorker>>()));
        if (hub.Rollups.Enabled)
        {
            services.AddHostedService(sp => sp.GetRequiredService<RollupWorker>());
        }
        return services;
    }

    /// <summary>With rollups off, forgets the rollup reader's checkpoint: left behind by an earlier run, it would hold WAL truncation forever.</summary>
    public static void MapRollups(this WebApplication app, HubOptions hub)
    {
        if (!hub.Rollups.Enabled)
        {
            app.Services.GetRequiredService<WriteAheadLog>().RemoveReader(RollupWorker.ReaderName);
        }
    }

    public static RollupOptions OptionsFor(HubOptions hub) => new()
    {
        SecondBuckets = hub.Rollups.SecondBuckets,
        HotMinutes = hub.Rollups.HotMinutes,
        HotHours = hub.Rollups.HotHours,
        HotDays = hub.Rollups.HotDays,
        GraceSeconds = hub.Rollups.GraceSeconds,
        MaxSeriesPerTenant = hub.Rollups.MaxSeriesPerTenant,
        MaxSeries = hub.Rollups.MaxSeries,
        FutureSeconds = (int)Math.Ceiling(hub.Ingest.TimestampMaxFutureMinutes * 60),
        Dimensions = hub.Rollups.Dimensions,
    };
}
