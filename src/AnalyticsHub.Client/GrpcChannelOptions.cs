using System.Net.Security;

namespace AnalyticsHub.Client;

/// <summary>Settings of a <see cref="GrpcChannel"/>; read once, when the channel is created.</summary>
public sealed class GrpcChannelOptions
{
    /// <summary>Largest message the client accepts (after decompression); null for no limit. Default 16 MiB.</summary>
    public int? MaxReceiveMessageSize { get; set; } = AnalyticsHub.Protocol.Grpc.GrpcProtocol.DefaultMaxReceiveMessageSize;

    /// <summary>Largest message the client sends (before compression); null (the default) for no limit.</summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>
    /// The <c>grpc-encoding</c> for request messages of calls that do not choose one
    /// (<see cref="CallOptions.CompressionEncoding"/>): <c>gzip</c>, <c>deflate</c> or null/<c>identity</c> (default).
    /// </summary>
    public string? CompressionEncoding { get; set; }

    /// <summary>
    /// Idle time on a connection after which an HTTP/2 PING checks the peer is still there;
    /// <see cref="Timeout.InfiniteTimeSpan"/> (the default) sends none.
    /// </summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = Timeout.InfiniteTimeSpan;

    /// <summary>How long a keep-alive PING may go unanswered before the connection is closed. Default 20 s.</summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Whether keep-alive pings are also sent on a connection with no call in flight. Default false.</summary>
    public bool KeepAlivePingWithoutCalls { get; set; }

    /// <summary>Time allowed to open a connection (TCP, and TLS for https). Default 30 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// TLS settings for <c>https://</c> addresses: certificate validation (e.g. a custom trust store),
    /// client certificates. ALPN <c>h2</c> is negotiated in any case. Ignored with <see cref="HttpHandler"/>.
    /// </summary>
    public SslClientAuthenticationOptions? SslOptions { get; set; }

    /// <summary>
    /// A handler to send requests through instead of the channel's own <see cref="SocketsHttpHandler"/>
    /// (tests, TLS settings, diagnostics). It must speak HTTP/2; requests ask for exactly version 2.0.
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>Whether disposing the channel disposes <see cref="HttpHandler"/>. Default true.</summary>
    public bool DisposeHttpHandler { get; set; } = true;
}
