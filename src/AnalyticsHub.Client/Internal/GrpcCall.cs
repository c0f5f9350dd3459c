using System.Net;
using AnalyticsHub.Protocol.Compression;
using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Client.Internal;

/// <summary>
/// One gRPC call over one HTTP/2 stream: builds the request, enforces the deadline and
/// cancellation, and settles the call's single final status. The response side is in
/// <c>GrpcCall.Response.cs</c>.
/// </summary>
/// <remarks>
/// The final status is set once (compare-and-swap on <see cref="_result"/>): whichever of the
/// trailers, the deadline timer, the caller's token, a transport error or a malformed response
/// comes first decides it, and every later observer sees that same status. A non-OK end cancels
/// <see cref="_callCts"/> and disposes the response, which resets the HTTP/2 stream if it is still open.
/// </remarks>
internal sealed partial class GrpcCall<TRequest, TResponse> : ICallFailureSink, ICallState, IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly Method<TRequest, TResponse> _method;
    private readonly CallOptions _options;
    private readonly CancellationTokenSource _callCts = new();
    private readonly DateTime _deadline;
    private readonly ICompressionProvider? _requestCompression;

    private volatile CallResult? _result;
    private HttpResponseMessage? _response;
    private GrpcRequestContent? _content;
    private Task<bool>? _responseTask;
    private Timer? _deadlineTimer;
    private CancellationTokenRegistration _callerRegistration;
    private CancellationTokenRegistration _channelRegistration;
    private int _disposed;

    public GrpcCall(GrpcChannel channel, Method<TRequest, TResponse> method, in CallOptions options)
    {
        _channel = channel;
        _method = method;
        _options = options;
        _deadline = options.GetEffectiveDeadline(DateTime.UtcNow);
        _requestCompression = channel.ResolveRequestCompression(options.CompressionEncoding);
    }

    public CancellationToken CallCancellation => _callCts.Token;

    public Status? FinalStatus => _result?.Status;

    /// <summary>Starts a unary or server-streaming call: the one request message is the whole body.</summary>
    public void StartWithMessage(TRequest request)
    {
        var compress = _requestCompression is not null && !_options.WriteOptions.NoCompress;
        Start(new UnaryRequestContent<TRequest>(
            this, request, _method.RequestCodec, _channel.MaxSendMessageSize, _requestCompression, compress));
    }

    /// <summary>Starts a client-streaming or duplex call and returns the writer for its request messages.</summary>
    public IClientStreamWriter<TRequest> StartStreaming()
    {
        var content = new StreamingRequestContent();
        var writer = new RequestStreamWriter<TRequest>(
            this, content, _method.RequestCodec, _channel.MaxSendMessageSize, _requestCompression);
        Start(content);
        return writer;
    }

    public RpcException Fail(Exception exception)
    {
        if (_result is null)
        {
            // If another path ended the call meanwhile, Finish keeps that status and so do we.
            Finish(ExceptionStatus.FromException(exception), exception is RpcException rpc ? rpc.Trailers : null);
        }

        return CreateFinalException();
    }

    public void Cancel() => Finish(new Status(StatusCode.Cancelled, "Call canceled by the client."), null);

    public RpcException CreateFinalException()
    {
        var result = _result ?? throw new InvalidOperationException("The call has not ended.");
        return new RpcException(result.Status, result.Trailers);
    }

    public Status GetStatus() =>
        _result?.Status ?? throw new InvalidOperationException("Unable to get the status because the call is not complete.");

    public Metadata GetTrailers() =>
        _result?.Trailers ?? throw new InvalidOperationException("Unable to get the trailers because the call is not complete.");

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Finish(new Status(StatusCode.Cancelled, "The call was disposed before it completed."), null);
        ReleaseReaderIfIdle();
        Volatile.Read(ref _response)?.Dispose();
    }

    private void Start(GrpcRequestContent content)
    {
        _content = content;
        var request = CreateRequest(content);

        if (_deadline != DateTime.MaxValue)
        {
            var remaining = _deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                // Already past: fail without touching the network, as the server would drop it anyway.
                request.Dispose();
                Finish(DeadlineExceeded, null);
                _responseTask = Task.FromResult(false);
                return;
            }

            request.Headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Format(remaining));
            _deadlineTimer = new Timer(static state => ((GrpcCall<TRequest, TResponse>)state!).OnDeadlineTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _deadlineTimer.Change(ClampTimerDue(remaining), Timeout.InfiniteTimeSpan);
        }

        if (_options.CancellationToken.CanBeCanceled)
        {
            _callerRegistration = _options.CancellationToken.UnsafeRegister(static state => ((GrpcCall<TRequest, TResponse>)state!).Cancel(), this);
        }

        _channelRegistration = _channel.ShutdownToken.UnsafeRegister(
            static state => ((GrpcCall<TRequest, TResponse>)state!).Finish(new Status(StatusCode.Cancelled, "The channel was disposed."), null),
            this);

        if (_result is not null)
        {
            // Ended while starting (a token already cancelled, a deadline of a few ticks): Finish
            // may have run before the registrations above were stored, so drop them here.
            _callerRegistration.Unregister();
            _channelRegistration.Unregister();
            request.Dispose();
            _responseTask = Task.FromResult(false);
            return;
        }

        _responseTask = SendAsync(request);
    }

    private HttpRequestMessage CreateRequest(GrpcRequestContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _channel.GetMethodUri(_method.FullName))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        var headers = request.Headers;
        headers.TryAddWithoutValidation(GrpcProtocol.TeHeader, "trailers");
        headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, CompressionProviders.Default.AcceptEncoding);
        if (_requestCompression is not null)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.EncodingHeader, _requestCompression.EncodingName);
        }

        var userAgentSet = false;
        if (_options.Headers is { } metadata)
        {
            foreach (var entry in metadata)
            {
                if (!Metadata.IsCustomHeader(entry.Key))
                {
                    request.Dispose();
                    throw new ArgumentException($"Metadata key '{entry.Key}' is reserved by gRPC or HTTP/2 and can't be sent as custom metadata.", nameof(CallOptions.Headers));
                }

                userAgentSet |= entry.Key == "user-agent";
                headers.TryAddWithoutValidation(entry.Key, entry.ToHeaderValue());
            }
        }

        if (!userAgentSet)
        {
            headers.TryAddWithoutValidation("user-agent", UserAgent.Value);
        }

        return request;
    }

    /// <summary>Ends the call with <paramref name="status"/> unless it has ended already.</summary>
    /// <returns>Whether this status became the final one.</returns>
    private bool Finish(Status status, Metadata? trailers)
    {
        if (Interlocked.CompareExchange(ref _result, new CallResult(status, trailers ?? new Metadata()), null) is not null)
        {
            return false;
        }

        _deadlineTimer?.Dispose();
        _callerRegistration.Unregister(); // not Dispose: that would wait for the callback we may be running in
        _channelRegistration.Unregister();
        var ok = status.StatusCode == StatusCode.OK;
        if (!ok)
        {
            try
            {
                _callCts.Cancel();
            }
            catch (AggregateException)
            {
                // A callback of the handler failed while being cancelled; the call is over either way.
            }
        }

        _content?.OnCallEnded(ok);

        // Interlocked read pairs with the exchange in SendAsync: one of the two sides sees the other
        // and disposes the response, so a response that arrives as the call ends is never leaked.
        // Disposing an unfinished response resets its HTTP/2 stream (RST_STREAM CANCEL).
        Interlocked.CompareExchange(ref _response, null, null)?.Dispose();
        return true;
    }

    private void OnDeadlineTimer()
    {
        var remaining = _deadline - DateTime.UtcNow;
        if (remaining > TimeSpan.FromMilliseconds(1))
        {
            // Fired early: the due time was clamped to the timer's range, or the clock moved.
            try
            {
                _deadlineTimer?.Change(ClampTimerDue(remaining), Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
            }

            return;
        }

        Finish(DeadlineExceeded, null);
    }

    private static Status DeadlineExceeded => new(StatusCode.DeadlineExceeded, "Deadline Exceeded");

    private static TimeSpan ClampTimerDue(TimeSpan due)
    {
        var max = TimeSpan.FromMilliseconds(uint.MaxValue - 1);
        return due > max ? max : due;
    }

    private sealed record CallResult(Status Status, Metadata Trailers);
}
