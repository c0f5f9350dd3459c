namespace AnalyticsHub.Server.Hosting;

/// <summary>Source-generated log messages of the hub host (event ids 100–199).</summary>
internal static partial class HubLog
{
    [LoggerMessage(100, LogLevel.Information, "AnalyticsHub starting: data directory {DataDir}, gRPC port {GrpcPort}, HTTP port {HttpPort}, metrics port {MetricsPort}, TLS {Tls}, storage {StorageKind}.")]
    public static partial void Starting(ILogger logger, string dataDir, int grpcPort, int httpPort, int metricsPort, bool tls, string storageKind);

    [LoggerMessage(101, LogLevel.Information, "Configuration file {Path} is watched: edits to Logging apply at once; Hub settings apply at the next restart.")]
    public static partial void ConfigFileWatched(ILogger logger, string path);

    [LoggerMessage(102, LogLevel.Warning, "Hub settings changed since start and apply only at the next restart (Logging applied now): {Keys}")]
    public static partial void RestartNeeded(ILogger logger, string keys);

    [LoggerMessage(103, LogLevel.Warning, "Configuration file {Path} cannot be read after an edit; its previous contents stay in force until it parses: {Reason}")]
    public static partial void ConfigFileUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(104, LogLevel.Information, "Tracing on: spans of source {Source} exported over OTLP ({Protocol}) to {Endpoint}, sample ratio {SampleRatio}.")]
    public static partial void TracingOn(ILogger logger, string source, string protocol, Uri endpoint, double sampleRatio);
}
