using AnalyticsHub.Server.Configuration;
using AnalyticsHub.Storage.DeadLetters;
using AnalyticsHub.Storage.Stores;
using AnalyticsHub.Storage.Stores.ClickHouse;
using AnalyticsHub.Storage.Stores.Embedded;
using AnalyticsHub.Storage.Stores.Postgres;
using AnalyticsHub.Storage.Wal;

namespace AnalyticsHub.Server.Storage;

/// <summary>Builds the configured store (<c>Hub:Storage:Kind</c>) and the drainer that feeds it from the WAL.</summary>
public static class StorageSetup
{
    public static IServiceCollection AddStorage(this IServiceCollection services, HubOptions hub)
    {
        services.AddSingleton(sp => CreateStore(hub, sp.GetRequiredService<WriteAheadLog>().LogId, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp =>
        {
            var status = new DrainerStatus();
            var wal = sp.GetRequiredService<WriteAheadLog>();
            status.BindTail(() => wal.TailAddress);
            return status;
        });
        services.AddSingleton(sp => new StoreDrainer(
            sp.GetRequiredService<WriteAheadLog>(), sp.GetRequiredService<IEventStore>(), sp.GetRequiredService<DeadLetterStore>(),
            hub.Storage, sp.GetRequiredService<DrainerStatus>(), sp.GetRequiredService<ILogger<StoreDrainer>>()));
        services.AddHostedService(sp => sp.GetRequiredService<StoreDrainer>());
        return services;
    }

    /// <summary>
    /// What rows and checkpoints in a shared store are keyed by: the configured node id (else the
    /// machine name) and the WAL's identity, so a recreated log, whose addresses start over, is never
    /// matched against positions the store remembers from the old one.
    /// </summary>
    public static string NodeId(HubOptions hub, Guid logId)
    {
        string node = string.IsNullOrWhiteSpace(hub.Storage.NodeId) ? Environment.MachineName : hub.Storage.NodeId;
        // Letters, digits, '-', '_', '.' only: stores use it in keys (ClickHouse refuses anything else).
        var safe = new string(node.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray());
        return $"{safe[..Math.Min(safe.Length, 100)]}.{logId.ToString("N")[..12]}";
    }

    public static IEventStore CreateStore(HubOptions hub, Guid logId, ILoggerFactory loggers) => hub.Storage.Kind.ToLowerInvariant() switch
    {
        "postgres" => new PostgresEventStore(new PostgresStoreOptions
        {
            ConnectionString = hub.Postgres.ConnectionString,
            NodeId = NodeId(hub, logId),
            RetentionDays = hub.Storage.RetentionDays,
        }, loggers.CreateLogger<PostgresEventStore>()),
        "clickhouse" => ClickHouseStoreFor(hub, logId),
        _ => new EmbeddedEventStore(new EmbeddedStoreOptions
        {
            DatabasePath = Path.Combine(Path.GetFullPath(hub.DataDir), "store", "events.db"),
            RetentionDays = hub.Storage.RetentionDays,
        }),
    };

    private static ClickHouseEventStore ClickHouseStoreFor(HubOptions hub, Guid logId) => new(new ClickHouseStoreOptions
    {
        Url = hub.ClickHouse.Url,
        Database = hub.ClickHouse.Database,
        User = hub.ClickHouse.User,
        Password = hub.ClickHouse.Password,
        Cluster = hub.ClickHouse.Cluster,
        ClusterNodeUrls = hub.ClickHouse.ClusterNodeUrls,
        Replicated = hub.ClickHouse.Replicated,
        NodeId = NodeId(hub, logId),
        RequestTimeout = TimeSpan.FromSeconds(hub.ClickHouse.RequestTimeoutSeconds),
        RetentionDays = hub.Storage.RetentionDays,
        CompressRequests = hub.ClickHouse.CompressRequests,
    });
}
