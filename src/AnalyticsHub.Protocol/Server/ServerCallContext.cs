using System.Net;
using AnalyticsHub.Protocol.Compression;
using AnalyticsHub.Protocol.Grpc;
using AnalyticsHub.Protocol.Server.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace AnalyticsHub.Protocol.Server;

/// <summary>
/// One server-side call: request metadata, deadline and cancellation, response headers,
/// trailers and status, and the framed request/response streams.
/// </summary>
/// <remarks>
/// Response writes and the deadline timer race to finish the call; both go through
/// <see cref="_writeLock"/>, and <see cref="_completed"/> (read and written only under it)
/// records that the status has been sent, so exactly one status reaches the client.
/// </remarks>
public sealed partial class ServerCallContext : IDisposable
{
    // RST_STREAM error code CANCEL (RFC 9113 §7).
    private const int Http2CancelErrorCode = 8;

    private readonly HttpContext _http;
    private readonly GrpcServerOptions _options;
    private readonly GrpcServerLifetime _lifetime;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly GrpcMessageWriter _writer;
    private CancellationTokenSource? _callCts;
    private CancellationTokenSource? _deadlineCts;
    private Metadata? _requestHeaders;
    private Metadata? _responseTrailers;
    private Metadata? _responseHeaders;
    private bool _headersPrepared;
    private bool _completed;
    private bool _deadlineExceeded;

    internal ServerCallContext(
        HttpContext http,
        string method,
        GrpcServerOptions options,
        GrpcServerLifetime lifetime,
        ICompressionProvider? requestCompression,
        ILogger logger)
    {
        _http = http;
        _options = options;
        _lifetime = lifetime;
        _logger = logger;
        Method = method;
        RequestEncoding = requestCompression?.EncodingName;
        RequestReader = new GrpcMessageReader(http.Request.BodyReader, options.MaxReceiveMessageSize, requestCompression);
        _writer = new GrpcMessageWriter(http.Response.BodyWriter, options.MaxSendMessageSize, options.ResponseCompressionLevel);
        CancellationToken = http.RequestAborted;

        if (options.ResponseCompressionAlgorithm is { } algorithm && ClientAcceptsEncoding(algorithm))
        {
            ResponseEncoding = algorithm;
        }
    }

    /// <summary>The full method path, <c>/package.Service/Method</c>.</summary>
    public string Method { get; }

    /// <summary>The client's address, e.g. <c>ipv4:127.0.0.1:50312</c>.</summary>
    public string Peer => FormatPeer(_http.Connection.RemoteIpAddress, _http.Connection.RemotePort);

    public HttpContext HttpContext => _http;

    /// <summary>Custom metadata the client sent (reserved and pseudo headers excluded).</summary>
    public Metadata RequestHeaders => _requestHeaders ??= ReadRequestHeaders(_http.Request.Headers);

    /// <summary>Custom metadata to send with the response headers (before the first message or the status).</summary>
    public Metadata ResponseHeaders => _responseHeaders ??= new Metadata();

    /// <summary>Custom metadata to send with the status.</summary>
    public Metadata ResponseTrailers => _responseTrailers ??= new Metadata();

    /// <summary>When the call expires (UTC), or <see cref="DateTime.MaxValue"/> when the client set no deadline.</summary>
    public DateTime Deadline { get; private set; } = DateTime.MaxValue;

    /// <summary>Cancelled when the client cancels, the deadline passes, or shutdown ends the call.</summary>
    public CancellationToken CancellationToken { get; private set; }

    /// <summary>Cancelled as soon as the server starts shutting down; long-lived streams should end on it.</summary>
    public CancellationToken ServerStopping => _lifetime.Stopping;

    /// <summary>The status to send when the handler returns normally (OK unless the handler sets it).</summary>
    public Status Status { get; set; } = Status.DefaultSuccess;

    /// <summary>The request's <c>grpc-encoding</c>, or null for identity.</summary>
    public string? RequestEncoding { get; }

    /// <summary>The frame reader over the request body, for raw handlers.</summary>
    public GrpcMessageReader RequestReader { get; }

    /// <summary>
    /// Encoding for response messages; settable until response headers are sent, and only to an
    /// encoding the client listed in <c>grpc-accept-encoding</c>.
    /// </summary>
    public string? ResponseEncoding
    {
        get => _writer.Compression?.EncodingName;
        set
        {
            if (_http.Response.HasStarted)
            {
                throw new InvalidOperationException("Response headers have been sent; the response encoding can no longer change.");
            }

            if (value is null)
            {
                _writer.Compression = null;
                return;
            }

            if (!_options.CompressionProviders.TryResolve(value, out var provider))
            {
                throw new InvalidOperationException($"The server has no '{value}' compression provider.");
            }

            if (provider is not null && !ClientAcceptsEncoding(value))
            {
                throw new InvalidOperationException($"The client does not accept '{value}' responses.");
            }

            _writer.Compression = provider;
        }
    }

    /// <summary>Whether the next response messages are compressed with <see cref="ResponseEncoding"/> (default true).</summary>
    public bool CompressResponses { get; set; } = true;

    /// <summary>Whether the client listed <paramref name="encoding"/> in <c>grpc-accept-encoding</c>.</summary>
    public bool ClientAcceptsEncoding(string encoding) =>
        CompressionProviders.Accepts(_http.Request.Headers[GrpcProtocol.AcceptEncodingHeader].ToString(), encoding);

    /// <summary>Sends response headers now, with custom metadata. Later calls fail.</summary>
    public async Task WriteResponseHeadersAsync(Metadata headers)
    {
        await _writeLock.WaitAsync(CancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfCompleted();
            if (_http.Response.HasStarted)
            {
                throw new InvalidOperationException("Response headers can only be sent once per call.");
            }

            foreach (var entry in headers)
            {
                ResponseHeaders.Add(entry);
            }

            PrepareResponseHeaders();
            await _http.Response.StartAsync(CancellationToken).ConfigureAwait(false);
            await _http.Response.BodyWriter.FlushAsync(CancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Frames and writes one response message; with <paramref name="flush"/>, waits until it is sent.</summary>
    public async ValueTask WriteMessageAsync<T>(T message, IMessageCodec<T> codec, bool flush, CancellationToken cancellationToken = default)
    {
        var token = cancellationToken.CanBeCanceled ? cancellationToken : CancellationToken;
        await _writeLock.WaitAsync(token).ConfigureAwait(false);
        try
        {
            ThrowIfCompleted();
            PrepareResponseHeaders();
            _writer.Write(message, codec, CompressResponses);
            if (flush)
            {
                var result = await _http.Response.BodyWriter.FlushAsync(token).ConfigureAwait(false);
                if (result.IsCanceled)
                {
                    throw new OperationCanceledException(token);
                }
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public void Dispose()
    {
        _deadlineCts?.Dispose();
        _callCts?.Dispose();
        RequestReader.Dispose();
        _writer.Dispose();
        _writeLock.Dispose();
    }

    /// <summary>Arms the deadline and links cancellation sources. Returns false (status sent) on a malformed grpc-timeout.</summary>
    internal bool Initialize()
    {
        var timeoutHeader = _http.Request.Headers[GrpcProtocol.TimeoutHeader];
        TimeSpan? timeout = null;
        if (timeoutHeader.Count > 0)
        {
            if (!GrpcTimeout.TryParse(timeoutHeader.ToString(), out var parsed))
            {
                ServerLog.MalformedTimeout(_logger, Method, timeoutHeader.ToString());
                return false;
            }

            timeout = parsed;
        }

        _callCts = CancellationTokenSource.CreateLinkedTokenSource(_http.RequestAborted, _lifetime.Aborting);
        CancellationToken = _callCts.Token;

        // CancelAfter takes at most ~49 days; a longer deadline is no deadline in practice.
        if (timeout is { } t && t < TimeSpan.FromDays(49))
        {
            Deadline = DateTime.UtcNow + t;
            _deadlineCts = new CancellationTokenSource(t);
            _deadlineCts.Token.UnsafeRegister(static state => _ = ((ServerCallContext)state!).OnDeadlineAsync(), this);
        }

        return true;
    }

    /// <summary>Runs the handler and sends its status; never throws.</summary>
    internal async Task RunAsync(Func<ServerCallContext, Task> handler)
    {
        Status status;
        try
        {
            await handler(this).ConfigureAwait(false);
            status = Status;
        }
        catch (Exception ex)
        {
            status = StatusFromException(ex);
        }

        await CompleteAsync(status).ConfigureAwait(false);
    }

    /// <summary>Sends the status (in trailers, or Trailers-Only before any message) unless already sent.</summary>
    internal Task CompleteAsync(Status status) => CompleteAsync(status, resetStream: false);

    /// <param name="resetStream">
    /// Also send RST_STREAM(CANCEL) so the client stops sending. Done under the write lock, and only
    /// by the path that completed the call: once the call is over Kestrel may reuse the HttpContext
    /// for another stream, which a late reset would kill.
    /// </param>
    private async Task CompleteAsync(Status status, bool resetStream)
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            if (_http.RequestAborted.IsCancellationRequested)
            {
                return;
            }

            WriteStatus(status);
            await _http.Response.CompleteAsync().ConfigureAwait(false);
            if (resetStream)
            {
                _http.Features.Get<IHttpResetFeature>()?.Reset(Http2CancelErrorCode);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The client went away while we answered; nothing more can reach it.
            ServerLog.StatusNotSent(_logger, Method, ex.Message);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task OnDeadlineAsync()
    {
        _deadlineExceeded = true;
        try
        {
            // Cancel first so a handler blocked in a flush releases the write lock.
            _callCts?.Cancel();

            // The reset tells the client to stop sending: the call is over even if it has not half-closed.
            await CompleteAsync(new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded"), resetStream: true).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The call finished and was disposed as the deadline fired: nothing left to do.
        }
        catch (Exception ex)
        {
            ServerLog.StatusNotSent(_logger, Method, ex.Message);
        }
    }

    private Status StatusFromException(Exception ex)
    {
        if (_deadlineExceeded)
        {
            return new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded");
        }

        if (ex is RpcException rpc)
        {
            foreach (var entry in rpc.Trailers)
            {
                ResponseTrailers.Add(entry);
            }

            return rpc.Status;
        }

        if (_http.RequestAborted.IsCancellationRequested)
        {
            return new Status(StatusCode.Cancelled, "Cancelled by the client.");
        }

        if (_lifetime.Aborting.IsCancellationRequested)
        {
            return new Status(StatusCode.Unavailable, "The server is shutting down.");
        }

        ServerLog.HandlerFailed(_logger, Method, ex);
        var detail = _options.EnableDetailedErrors
            ? $"Exception was thrown by handler. {ex.GetType().Name}: {ex.Message}"
            : "Exception was thrown by handler.";
        return new Status(StatusCode.Unknown, detail);
    }

    private void WriteStatus(Status status)
    {
        var response = _http.Response;
        var trailersOnly = !response.HasStarted && _writer.MessagesWritten == 0;
        if (trailersOnly)
        {
            // Trailers-Only: one HEADERS frame with END_STREAM carries the status.
            PrepareResponseHeaders();
            var headers = response.Headers;
            headers[GrpcProtocol.StatusHeader] = GrpcProtocol.StatusText(status.StatusCode);
            if (!string.IsNullOrEmpty(status.Detail))
            {
                headers[GrpcProtocol.MessageHeader] = GrpcMessageEncoding.Encode(status.Detail);
            }

            foreach (var entry in _responseTrailers ?? [])
            {
                headers.Append(entry.Key, entry.ToHeaderValue());
            }

            return;
        }

        response.AppendTrailer(GrpcProtocol.StatusHeader, GrpcProtocol.StatusText(status.StatusCode));
        if (!string.IsNullOrEmpty(status.Detail))
        {
            response.AppendTrailer(GrpcProtocol.MessageHeader, GrpcMessageEncoding.Encode(status.Detail));
        }

        foreach (var entry in _responseTrailers ?? [])
        {
            response.AppendTrailer(entry.Key, entry.ToHeaderValue());
        }
    }

    private void PrepareResponseHeaders()
    {
        if (_headersPrepared)
        {
            return;
        }

        _headersPrepared = true;
        var headers = _http.Response.Headers;
        foreach (var entry in _responseHeaders ?? [])
        {
            if (!Metadata.IsCustomHeader(entry.Key))
            {
                throw new InvalidOperationException($"'{entry.Key}' is reserved and cannot be sent as metadata.");
            }

            headers.Append(entry.Key, entry.ToHeaderValue());
        }

        if (_writer.Compression is { } compression)
        {
            headers[GrpcProtocol.EncodingHeader] = compression.EncodingName;
        }

        headers[GrpcProtocol.AcceptEncodingHeader] = _options.CompressionProviders.AcceptEncoding;
    }

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            throw new OperationCanceledException(_deadlineExceeded ? "The call's deadline has passed." : "The call has completed.");
        }
    }

    private static Metadata ReadRequestHeaders(IHeaderDictionary headers)
    {
        var metadata = new Metadata();
        foreach (var (key, values) in headers)
        {
            if (!Metadata.IsCustomHeader(key))
            {
                continue;
            }

            foreach (var value in values)
            {
                if (value is not null)
                {
                    metadata.Add(Metadata.Entry.FromHeader(key, value));
                }
            }
        }

        return metadata;
    }

    private static string FormatPeer(IPAddress? address, int port) => address switch
    {
        null => "unknown",
        { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } => $"ipv6:[{address}]:{port}",
        _ => $"ipv4:{address}:{port}",
    };

}
