using System.Collections.Concurrent;
using System.Net;
using AnalyticsHub.Protocol.Compression;

namespace AnalyticsHub.Client;

/// <summary>
/// A connection to one gRPC server: owns an <see cref="HttpClient"/> over HTTP/2 — cleartext
/// with prior knowledge (h2c) for <c>http://</c>, TLS with ALPN <c>h2</c> for <c>https://</c> — that
/// multiplexes all calls, opening more connections when the server's stream limit is reached.
/// Thread-safe; create one per server and share it. Calls are started by the methods in
/// <c>GrpcChannel.Calls.cs</c>.
/// </summary>
public sealed partial class GrpcChannel : IDisposable
{
    private readonly CancellationTokenSource _shutdown = new();
    private readonly ConcurrentDictionary<string, Uri> _methodUris = new(StringComparer.Ordinal);
    private readonly string _pathBase;
    private int _disposed;

    private GrpcChannel(Uri address, GrpcChannelOptions options)
    {
        if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"Address '{address}' must be an absolute http:// or https:// URI.", nameof(address));
        }

        Address = address;
        _pathBase = address.AbsolutePath.TrimEnd('/');
        MaxReceiveMessageSize = options.MaxReceiveMessageSize ?? int.MaxValue;
        MaxSendMessageSize = options.MaxSendMessageSize ?? int.MaxValue;
        ArgumentOutOfRangeException.ThrowIfNegative(MaxReceiveMessageSize, nameof(options.MaxReceiveMessageSize));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxSendMessageSize, nameof(options.MaxSendMessageSize));
        DefaultCompression = ResolveEncoding(options.CompressionEncoding);

        var handler = options.HttpHandler ?? CreateHandler(options);
        var disposeHandler = options.HttpHandler is null || options.DisposeHttpHandler;
        HttpClient = new HttpClient(handler, disposeHandler)
        {
            Timeout = Timeout.InfiniteTimeSpan, // deadlines are per call
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    /// <summary>The server address, e.g. <c>http://127.0.0.1:50051</c>; a path in it prefixes every method path.</summary>
    public Uri Address { get; }

    internal HttpClient HttpClient { get; }

    internal int MaxReceiveMessageSize { get; }

    internal int MaxSendMessageSize { get; }

    internal ICompressionProvider? DefaultCompression { get; }

    internal CancellationToken ShutdownToken => _shutdown.Token;

    public static GrpcChannel ForAddress(string address, GrpcChannelOptions? options = null) =>
        ForAddress(new Uri(address ?? throw new ArgumentNullException(nameof(address)), UriKind.Absolute), options);

    public static GrpcChannel ForAddress(Uri address, GrpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        return new GrpcChannel(address, options ?? new GrpcChannelOptions());
    }

    /// <summary>Cancels the calls still running (CANCELLED) and closes the connections.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _shutdown.Cancel();
        HttpClient.Dispose();
    }

    internal Uri GetMethodUri(string fullName) =>
        _methodUris.GetOrAdd(fullName, static (path, channel) => new Uri(channel.Address, channel._pathBase + path), this);

    internal ICompressionProvider? ResolveRequestCompression(string? encoding) =>
        encoding is null ? DefaultCompression : ResolveEncoding(encoding);

    private static ICompressionProvider? ResolveEncoding(string? encoding) =>
        CompressionProviders.Default.TryResolve(encoding, out var provider)
            ? provider
            : throw new ArgumentException(
                $"Compression encoding '{encoding}' is not supported (supported: {CompressionProviders.Default.AcceptEncoding}).",
                nameof(encoding));

    private static SocketsHttpHandler CreateHandler(GrpcChannelOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            KeepAlivePingDelay = options.KeepAlivePingDelay,
            KeepAlivePingTimeout = options.KeepAlivePingTimeout,
            KeepAlivePingPolicy = options.KeepAlivePingWithoutCalls ? HttpKeepAlivePingPolicy.Always : HttpKeepAlivePingPolicy.WithActiveRequests,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = DecompressionMethods.None, // gRPC compresses per message, not per body
            AllowAutoRedirect = false,
            UseCookies = false,
        };
        if (options.SslOptions is { } ssl)
        {
            handler.SslOptions = ssl;
        }

        return handler;
    }
}
