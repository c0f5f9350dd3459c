using System.IO.Compression;
using AnalyticsHub.Protocol.Compression;
using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Protocol.Server;

/// <summary>Server-wide gRPC settings.</summary>
public sealed class GrpcServerOptions
{
    /// <summary>Largest request message accepted, checked on the frame header (and after decompression).</summary>
    public int MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxReceiveMessageSize;

    /// <summary>Largest response message sent; larger ones fail the call with RESOURCE_EXHAUSTED.</summary>
    public int MaxSendMessageSize { get; set; } = int.MaxValue;

    /// <summary>Encoding used for responses when the client accepts it (null: responses are not compressed unless a handler asks).</summary>
    public string? ResponseCompressionAlgorithm { get; set; }

    public CompressionLevel ResponseCompressionLevel { get; set; } = CompressionLevel.Fastest;

    public CompressionProviders CompressionProviders { get; set; } = CompressionProviders.Default;

    /// <summary>Include exception messages in the UNKNOWN status of failed handlers (never in production).</summary>
    public bool EnableDetailedErrors { get; set; }

    /// <summary>
    /// After shutdown starts, how long in-flight calls may run before they are cancelled and
    /// answered UNAVAILABLE. Must be shorter than the host's shutdown timeout.
    /// </summary>
    public TimeSpan ShutdownDrainTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
