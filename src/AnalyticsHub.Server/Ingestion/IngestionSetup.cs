using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Ingestion;
using AnalyticsHub.Core.Normalization;
using AnalyticsHub.Core.Validation;
using AnalyticsHub.Protocol.Json;
using AnalyticsHub.Protocol.Server;
using AnalyticsHub.Server.DeadLetters;
using AnalyticsHub.Storage.DeadLetters;
using AnalyticsHub.Server.Configuration;
using AnalyticsHub.Storage.Wal;

namespace AnalyticsHub.Server.Ingestion;

/// <summary>Builds the ingest path from <c>Hub:Ingest</c> and <c>Hub:Wal</c> and binds it to the gRPC services.</summary>
public static class IngestionSetup
{
    public static IServiceCollection AddIngestion(this IServiceCollection services, HubOptions hub)
    {
        var ingest = hub.Ingest;
        services.AddSingleton(_ => WriteAheadLog.Open(WalOptionsFor(hub)));
        services.AddSingleton(_ => new EventNormalizer(
            new ClockSkew(ingest.ClockSkewSeconds.ToDictionary(e => ParseModule(e.Key), e => TimeSpan.FromSeconds(e.Value))),
            new CurrencyNormalizer(ingest.ExchangeRates)));
        services.AddSingleton(_ => new EventValidator(
            new TimestampRule(TimeSpan.FromHours(ingest.TimestampMaxAgeHours), TimeSpan.FromMinutes(ingest.TimestampMaxFutureMinutes)),
            new SchemaVersionPolicy(ingest.SchemaCurrentMajor),
            new AssetRateLimiter(new AssetRateLimiterOptions
            {
                Enabled = ingest.RateLimit.Enabled,
                EventsPerSecond = ingest.RateLimit.EventsPerSecond,
                Burst = ingest.RateLimit.Burst,
                MaxTrackedAssets = ingest.RateLimit.MaxTrackedAssets,
            })));
        services.AddSingleton(_ => new EventIdWindow(new EventIdWindowOptions
        {
            Window = TimeSpan.FromSeconds(ingest.DuplicateWindowSeconds),
            MaxEntries = ingest.DuplicateWindowMaxEntries,
        }));
        services.AddSingleton(_ => new ProducerSequences(new ProducerSequenceOptions
        {
            MaxProducers = ingest.MaxProducers,
            AcksPerProducer = ingest.AcksPerProducer,
        }));
        services.AddSingleton(sp => new IngestCounters(
            sp.GetRequiredService<ILogger<IngestCounters>>(), ingest.DeadLetterRateWarning, TimeSpan.FromSeconds(ingest.DeadLetterRateWindowSeconds)));
        services.AddSingleton(sp => new IngestPipeline(
            sp.GetRequiredService<WriteAheadLog>(), sp.GetRequiredService<EventValidator>(), sp.GetRequiredService<EventNormalizer>(),
            sp.GetRequiredService<EventIdWindow>(), sp.GetRequiredService<ProducerSequences>(), sp.GetRequiredService<IngestCounters>(),
            ingest.MaxEventsPerBatch));
        services.AddSingleton(sp => new EventIngestionService(
            sp.GetRequiredService<IngestPipeline>(), sp.GetRequiredService<IngestCounters>(),
            sp.GetRequiredService<ILogger<EventIngestionService>>(), ingest.MaxInFlightBatchesPerStream));
        services.AddSingleton(sp => new JsonIngestHandler(
            sp.GetRequiredService<IngestPipeline>(), sp.GetRequiredService<IngestCounters>(), new JsonTranscodeOptions { MaxEvents = hub.Rest.MaxEventsPerRequest }));
        services.AddSingleton(_ => DeadLetterStore.Open(new DeadLetterStoreOptions
        {
            Path = Path.Combine(Path.GetFullPath(hub.DataDir), "deadletters", "deadletters.db"),
            MaxBytes = ingest.DeadLetterMaxBytes,
            MaxEntries = ingest.DeadLetterMaxEntries,
        }));
        services.AddSingleton<DeadLetterIndexer>();
        services.AddHostedService(sp => sp.GetRequiredService<DeadLetterIndexer>());
        services.AddSingleton<DeadLetterReplayer>();
        return services;
    }

    /// <summary>Opens and recovers the WAL, restores admission state, and serves EventIngestion.</summary>
    public static void MapIngestion(this WebApplication app, HubOptions hub)
    {
        var services = app.Services;
        IngestRecovery.Restore(
            services.GetRequiredService<WriteAheadLog>(), services.GetRequiredService<ProducerSequences>(),
            services.GetRequiredService<EventIdWindow>(), TimeSpan.FromSeconds(hub.Ingest.DuplicateWindowSeconds), app.Logger);
        services.GetRequiredService<EventIngestionService>().Register(app.GrpcServices());
    }

    public static WalOptions WalOptionsFor(HubOptions hub) => new()
    {
        Directory = Path.Combine(Path.GetFullPath(hub.DataDir), "wal"),
        CommitInterval = TimeSpan.FromMilliseconds(hub.Wal.CommitIntervalMs),
        CommitBytes = hub.Wal.CommitBytes,
        MaxBacklogBytes = hub.Wal.MaxBacklogBytes,
        SegmentSizeBits = hub.Wal.SegmentSizeBits,
        MemorySizeBits = hub.Wal.MemorySizeBits,
        PageSizeBits = hub.Wal.PageSizeBits,
        DirectIo = hub.Wal.DirectIo,
    };

    /// <summary>A module named in configuration (see <see cref="SourceModuleNames"/>).</summary>
    public static SourceModule ParseModule(string name) =>
        SourceModuleNames.TryParseModule(name, out var module)
            ? module
            : throw new ArgumentException($"'{name}' is not a source module ({SourceModuleNames.Known}).");
}
