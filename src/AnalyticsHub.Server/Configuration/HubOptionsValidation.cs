using System.Net;
using AnalyticsHub.Server.Rollups;

namespace AnalyticsHub.Server.Configuration;

/// <summary>Checks the configuration at startup and names every problem, so a bad config fails fast and clearly.</summary>
public static class HubOptionsValidation
{
    private static readonly string[] StorageKinds = ["embedded", "clickhouse", "postgres"];

    public static IReadOnlyList<string> Validate(HubOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDir))
        {
            errors.Add("Hub:DataDir must not be empty.");
        }

        if (!IPAddress.TryParse(options.BindAddress, out _))
        {
            errors.Add($"Hub:BindAddress '{options.BindAddress}' is not an IP address.");
        }

        CheckPort(errors, "Hub:Ports:Grpc", options.Ports.Grpc);
        CheckPort(errors, "Hub:Ports:Http", options.Ports.Http);
        CheckPort(errors, "Hub:Ports:Metrics", options.Ports.Metrics);
        if (options.Ports.Grpc != 0 && options.Ports.Grpc == options.Ports.Http)
        {
            errors.Add($"Hub:Ports:Grpc and Hub:Ports:Http are both {options.Ports.Grpc}; they must differ.");
        }

        if (options.Ports.Metrics != 0 && (options.Ports.Metrics == options.Ports.Grpc || options.Ports.Metrics == options.Ports.Http))
        {
            errors.Add($"Hub:Ports:Metrics {options.Ports.Metrics} is also the gRPC or HTTP port; it must differ (0 turns the metrics listener off).");
        }

        if (!StorageKinds.Contains(options.Storage.Kind, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"Hub:Storage:Kind '{options.Storage.Kind}' is not one of: {string.Join(", ", StorageKinds)}.");
        }

        CheckStorage(errors, options);
        CheckRollups(errors, options);

        if (options.Tls.Enabled && !File.Exists(options.Tls.CertificatePath))
        {
            errors.Add($"Hub:Tls:CertificatePath '{options.Tls.CertificatePath}' does not exist.");
        }

        if (options.Grpc.MaxReceiveMessageSize is < 1024)
        {
            errors.Add("Hub:Grpc:MaxReceiveMessageSize must be at least 1024 bytes.");
        }

        if (options.Grpc.ShutdownDrainSeconds is < 0 or > 600)
        {
            errors.Add("Hub:Grpc:ShutdownDrainSeconds must be between 0 and 600.");
        }

        CheckIngest(errors, options.Ingest);
        CheckWal(errors, options.Wal);
        CheckTracing(errors, options.Tracing);
        return errors;
    }

    private static void CheckIngest(List<string> errors, IngestOptions ingest)
    {
        if (ingest.TimestampMaxAgeHours <= 0 || ingest.TimestampMaxFutureMinutes < 0)
        {
            errors.Add("Hub:Ingest:TimestampMaxAgeHours must be > 0 and Hub:Ingest:TimestampMaxFutureMinutes ≥ 0.");
        }

        foreach (var module in ingest.ClockSkewSeconds.Keys)
        {
            if (!Core.Events.SourceModuleNames.TryParseModule(module, out _))
            {
                errors.Add($"Hub:Ingest:ClockSkewSeconds: '{module}' is not a source module (e.g. llm-sentinel).");
            }
        }

        try
        {
            _ = new Core.Normalization.CurrencyNormalizer(ingest.ExchangeRates);
        }
        catch (ArgumentException e)
        {
            errors.Add("Hub:Ingest:ExchangeRates: " + e.Message);
        }

        if (ingest.RateLimit.Enabled && (ingest.RateLimit.EventsPerSecond <= 0 || ingest.RateLimit.Burst < 0))
        {
            errors.Add("Hub:Ingest:RateLimit:EventsPerSecond must be > 0 and Burst ≥ 0.");
        }

        if (ingest.DuplicateWindowSeconds <= 0 || ingest.DuplicateWindowMaxEntries < 1024)
        {
            errors.Add("Hub:Ingest:DuplicateWindowSeconds must be > 0 and DuplicateWindowMaxEntries ≥ 1024.");
        }

        if (ingest.MaxEventsPerBatch < 1 || ingest.MaxInFlightBatchesPerStream < 1 || ingest.MaxProducers < 1 || ingest.AcksPerProducer < 1)
        {
            errors.Add("Hub:Ingest:MaxEventsPerBatch, MaxInFlightBatchesPerStream, MaxProducers and AcksPerProducer must be ≥ 1.");
        }
    }

    private static void CheckWal(List<string> errors, WalSettings wal)
    {
        if (wal.CommitIntervalMs is <= 0 or > 1000)
        {
            errors.Add("Hub:Wal:CommitIntervalMs must be in (0, 1000].");
        }

        if (wal.PageSizeBits is < 16 or > 26 || wal.MemorySizeBits < wal.PageSizeBits + 1 || wal.SegmentSizeBits < wal.PageSizeBits)
        {
            errors.Add("Hub:Wal: PageSizeBits must be 16–26, MemorySizeBits > PageSizeBits, SegmentSizeBits ≥ PageSizeBits.");
        }

        if (wal.MaxBacklogBytes < 1L << 24)
        {
            errors.Add("Hub:Wal:MaxBacklogBytes must be at least 16 MiB.");
        }
    }

    private static void CheckTracing(List<string> errors, TracingOptions tracing)
    {
        if (tracing.Enabled
            && !(Uri.TryCreate(tracing.OtlpEndpoint, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)))
        {
            errors.Add($"Hub:Tracing:OtlpEndpoint '{tracing.OtlpEndpoint}' is not an http(s) URL (empty turns tracing off).");
        }

        if (tracing.Protocol is not (TracingOptions.Grpc or TracingOptions.HttpProtobuf))
        {
            errors.Add($"Hub:Tracing:Protocol '{tracing.Protocol}' is not one of: {TracingOptions.Grpc}, {TracingOptions.HttpProtobuf}.");
        }

        if (!(tracing.SampleRatio is >= 0 and <= 1))
        {
            errors.Add($"Hub:Tracing:SampleRatio {tracing.SampleRatio} is not between 0 and 1.");
        }

        if (string.IsNullOrWhiteSpace(tracing.ServiceName))
        {
            errors.Add("Hub:Tracing:ServiceName must not be empty.");
        }

        if (tracing.ExportIntervalMs is < 1 or > 600_000)
        {
            errors.Add($"Hub:Tracing:ExportIntervalMs {tracing.ExportIntervalMs} is not between 1 and 600000.");
        }
    }

    private static void CheckStorage(List<string> errors, HubOptions options)
    {
        var storage = options.Storage;
        if (storage.BatchRows is < 1 or > 1_000_000)
        {
            errors.Add($"Hub:Storage:BatchRows must be between 1 and 1,000,000 (is {storage.BatchRows}).");
        }
        if (storage.BatchIntervalMs < 1 || storage.RetryInitialDelayMs < 1 || storage.RetryMaxDelayMs < storage.RetryInitialDelayMs)
        {
            errors.Add("Hub:Storage:BatchIntervalMs and RetryInitialDelayMs must be positive, RetryMaxDelayMs at least RetryInitialDelayMs.");
        }
        if (storage.RetentionDays < 0 || storage.WalRetainSeconds < 0)
        {
            errors.Add("Hub:Storage:RetentionDays and WalRetainSeconds must not be negative (0 = keep forever / truncate at once).");
        }
        if (string.Equals(storage.Kind, "postgres", StringComparison.OrdinalIgnoreCase) && string.IsNullOrWhiteSpace(options.Postgres.ConnectionString))
        {
            errors.Add("Hub:Storage:Kind is postgres but Hub:Postgres:ConnectionString is empty.");
        }
        if (string.Equals(storage.Kind, "clickhouse", StringComparison.OrdinalIgnoreCase)
            && !(Uri.TryCreate(options.ClickHouse.Url, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)))
        {
            errors.Add($"Hub:ClickHouse:Url '{options.ClickHouse.Url}' is not an http(s) URL.");
        }
    }

    private static void CheckPort(List<string> errors, string name, int port)
    {
        if (port is < 0 or > 65535)
        {
            errors.Add($"{name} {port} is not a TCP port (0–65535).");
        }
    }

    private static void CheckRollups(List<string> errors, HubOptions options)
    {
        try
        {
            RollupSetup.OptionsFor(options).Validate();
            _ = new Core.Rollups.SeriesDimensions(options.Rollups.Dimensions);
        }
        catch (ArgumentException e)
        {
            errors.Add(e.Message);
        }

        if (options.Rollups.FlushIntervalMs < 100)
        {
            errors.Add($"Hub:Rollups:FlushIntervalMs {options.Rollups.FlushIntervalMs} is below 100.");
        }
        if (options.Query.MaxPointsPerSeries < 1 || options.Query.MaxRangeDays < 1 || options.Query.DefaultLimit < 1 || options.Query.MaxLimit < options.Query.DefaultLimit)
        {
            errors.Add("Hub:Query limits must be positive and MaxLimit at least DefaultLimit.");
        }
        if (options.Query.CacheEntries < 0 || options.Query.CacheMegabytes < 0 || options.Query.LiveEdgeSeconds < 0 || options.Query.LiveEdgeMaxLagMs < 0
            || options.Query.StoreRowsCacheEntries < 0 || options.Query.StoreRowsCacheMegabytes < 0 || options.Query.StoreRowsCacheSeconds < 0)
        {
            errors.Add("Hub:Query cache settings (CacheEntries, CacheMegabytes, LiveEdgeSeconds, LiveEdgeMaxLagMs, StoreRowsCache*) cannot be negative.");
        }
    }
}
