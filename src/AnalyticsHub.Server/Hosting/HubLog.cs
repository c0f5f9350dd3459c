namespace AnalyticsHub.Server.Hosting;

/// <summary>Source-generated log messages of the hub host (event ids 100–199).</summary>
internal static partial class HubLog
{
    [LoggerMessage(100, LogLevel.Information, "AnalyticsHub starting: data directory {DataDir}, gRPC port {GrpcPort}, HTTP port {HttpPort}, metrics port {MetricsPort}, TLS {Tls}, storage {StorageKind}.")]
    public static partial void Starting(ILogger logger, string dataDir, int grpcPort, int httpPort, int metricsPort, bool tls, string storageKind);
}
