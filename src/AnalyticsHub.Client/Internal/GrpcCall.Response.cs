using System.IO.Pipelines;
using System.Net;
using AnalyticsHub.Protocol.Compression;
using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Client.Internal;

/// <summary>
/// The response side: validates the response headers, reads length-prefixed messages from the
/// body with <see cref="GrpcMessageReader"/> (straight out of the pipe's buffers), and takes the
/// final status from the trailers or from a Trailers-Only response.
/// </summary>
internal sealed partial class GrpcCall<TRequest, TResponse> : IAsyncStreamReader<TResponse>
{
    private const int ReaderIdle = 0;
    private const int ReaderBusy = 1;
    private const int ReaderReleased = 2;

    private static readonly StreamPipeReaderOptions ReaderOptions = new(bufferSize: 16 * 1024, minimumReadSize: 1024, leaveOpen: true);

    private Metadata? _responseHeaders;
    private Status? _trailersOnlyStatus;
    private PipeReader? _pipeReader;
    private GrpcMessageReader? _messageReader;
    private Task<Metadata>? _headersTask;
    private TResponse? _current;
    private int _readerState;

    public TResponse Current => _current!;

    public Task<Metadata> GetResponseHeadersAsync() => _headersTask ??= GetResponseHeadersCoreAsync();

    /// <summary>Reads the one response message of a unary or client-streaming call, then the status.</summary>
    public async Task<TResponse> ReadUnaryResponseAsync()
    {
        if (Interlocked.CompareExchange(ref _readerState, ReaderBusy, ReaderIdle) != ReaderIdle)
        {
            throw new InvalidOperationException("The response is already being read.");
        }

        try
        {
            if (!await _responseTask!.ConfigureAwait(false))
            {
                throw CreateFinalException();
            }

            var received = await ReadMessageAsync().ConfigureAwait(false);
            var message = _current;
            if (received && await ReadMessageAsync().ConfigureAwait(false))
            {
                throw Fail(new RpcException(StatusCode.Internal, "Bad gRPC response. The server sent more than one message for a unary response."));
            }

            var (status, trailers) = ReadEndStatus();
            if (status.StatusCode == StatusCode.OK && !received)
            {
                status = new Status(StatusCode.Internal, "Bad gRPC response. The call ended with OK but without a response message.");
            }

            Finish(status, trailers);
            if (_result!.Status.StatusCode != StatusCode.OK)
            {
                throw CreateFinalException();
            }

            return message!;
        }
        finally
        {
            _current = default;
            ReleaseReader();
        }
    }

    public async Task<bool> MoveNext(CancellationToken cancellationToken = default)
    {
        var state = Interlocked.CompareExchange(ref _readerState, ReaderBusy, ReaderIdle);
        if (state != ReaderIdle)
        {
            if (state == ReaderBusy)
            {
                throw new InvalidOperationException("Can't read the next message because the previous read is still in progress.");
            }

            // The stream has ended (or the call was disposed): repeat the outcome.
            return _result is { } ended && ended.Status.StatusCode == StatusCode.OK ? false : throw CreateFinalExceptionOrCancelled();
        }

        var more = false;
        try
        {
            using var registration = cancellationToken.CanBeCanceled
                ? cancellationToken.UnsafeRegister(static state => ((GrpcCall<TRequest, TResponse>)state!).Cancel(), this)
                : default;
            if (!await _responseTask!.ConfigureAwait(false))
            {
                throw CreateFinalException();
            }

            if (await ReadMessageAsync().ConfigureAwait(false))
            {
                if (_result is { } failed && failed.Status.StatusCode != StatusCode.OK)
                {
                    throw CreateFinalException(); // ended meanwhile (deadline, cancel): don't hand out more
                }

                more = true;
                return true;
            }

            var (status, trailers) = ReadEndStatus();
            Finish(status, trailers);
            return _result!.Status.StatusCode == StatusCode.OK ? false : throw CreateFinalException();
        }
        finally
        {
            if (more)
            {
                Volatile.Write(ref _readerState, ReaderIdle);
            }
            else
            {
                ReleaseReader();
            }
        }
    }

    private async Task<bool> SendAsync(HttpRequestMessage request)
    {
        HttpResponseMessage response;
        try
        {
            response = await _channel.HttpClient
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _callCts.Token)
                .ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Fail(ex);
            return false;
        }

        // Publish before checking _result (Finish does the reverse), so one side disposes it.
        Interlocked.Exchange(ref _response, response);
        if (_result is not null)
        {
            response.Dispose();
            return false;
        }

        try
        {
            return await OpenResponseAsync(response).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Fail(ex);
            return false;
        }
    }

    /// <returns>True when the response is a gRPC response; otherwise the call has been failed.</returns>
    private async Task<bool> OpenResponseAsync(HttpResponseMessage response)
    {
        if (ResponseStatus.TryGet(response.Headers, out var trailersOnlyStatus))
        {
            // Trailers-Only (HEADERS with END_STREAM): no messages; an explicit grpc-status is
            // preferred over the HTTP status, as gRPC C-core does.
            _responseHeaders = ResponseMetadata.From(response.Headers);
            _trailersOnlyStatus = trailersOnlyStatus;
            if (_method.Type is MethodType.ServerStreaming or MethodType.DuplexStreaming)
            {
                // The outcome is known now (OK is an empty stream): settle it at once, so a writer
                // of a duplex call that never reads still learns the status.
                Finish(trailersOnlyStatus, _responseHeaders);
            }

            return true;
        }

        if (response.Version < HttpVersion.Version20)
        {
            throw Fail(new RpcException(StatusCode.Internal, $"Bad gRPC response. The response came over HTTP/{response.Version.ToString(2)}, not HTTP/2."));
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw Fail(new RpcException(
                HttpStatusMapping.ToStatusCode(response.StatusCode),
                $"Bad gRPC response. HTTP status code: {(int)response.StatusCode} ({response.ReasonPhrase ?? response.StatusCode.ToString()})."));
        }

        var contentType = response.Content.Headers.NonValidated.TryGetValues("content-type", out var values) ? values.ToString() : null;
        if (!IsGrpcContentType(contentType))
        {
            throw Fail(new RpcException(
                StatusCode.Unknown,
                contentType is null
                    ? "Bad gRPC response. The response has no content-type."
                    : $"Bad gRPC response. Invalid content-type value: {contentType}."));
        }

        _responseHeaders = ResponseMetadata.From(response.Headers);
        var decompressor = ResolveResponseEncoding(response);
        var body = await response.Content.ReadAsStreamAsync(_callCts.Token).ConfigureAwait(false);
        _pipeReader = PipeReader.Create(body, ReaderOptions);
        _messageReader = new GrpcMessageReader(_pipeReader, _channel.MaxReceiveMessageSize, decompressor);
        return true;
    }

    private static ICompressionProvider? ResolveResponseEncoding(HttpResponseMessage response)
    {
        if (!response.Headers.NonValidated.TryGetValues(GrpcProtocol.EncodingHeader, out var values))
        {
            return null;
        }

        var name = values.ToString();
        return CompressionProviders.Default.TryResolve(name, out var provider) ? provider : new UnsupportedCompressionProvider(name);
    }

    private static bool IsGrpcContentType(string? contentType) =>
        GrpcProtocol.IsGrpcContentType(contentType)
        || (contentType is not null && contentType.StartsWith(GrpcProtocol.ContentType + "+", StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads and decodes the next message into <see cref="_current"/>; false at the end of the body.</summary>
    private async ValueTask<bool> ReadMessageAsync()
    {
        var reader = _messageReader;
        if (reader is null)
        {
            return false; // Trailers-Only: there is no body
        }

        try
        {
            if (!await reader.MoveNextAsync(_callCts.Token).ConfigureAwait(false))
            {
                return false;
            }

            // The deadline is a hard limit: on a busy machine its timer can run late, so a message
            // that arrives after it has passed ends the call instead of being delivered.
            if (_deadline != DateTime.MaxValue && DateTime.UtcNow >= _deadline)
            {
                Finish(DeadlineExceeded, null);
                throw CreateFinalException();
            }

            _current = _method.ResponseCodec.Decode(reader.Current);
            return true;
        }
        catch (Exception ex)
        {
            throw Fail(ex);
        }
    }

    /// <summary>The status and trailers once the body has ended.</summary>
    private (Status Status, Metadata Trailers) ReadEndStatus()
    {
        if (_trailersOnlyStatus is { } status)
        {
            return (status, _responseHeaders ?? new Metadata());
        }

        var trailing = _response!.TrailingHeaders;
        var trailers = ResponseMetadata.From(trailing);
        return ResponseStatus.TryGet(trailing, out status)
            ? (status, trailers)
            : (new Status(StatusCode.Internal, "Bad gRPC response. The response ended without a grpc-status trailer."), trailers);
    }

    private async Task<Metadata> GetResponseHeadersCoreAsync()
    {
        if (!await _responseTask!.ConfigureAwait(false))
        {
            throw CreateFinalException();
        }

        return _responseHeaders!;
    }

    private RpcException CreateFinalExceptionOrCancelled() =>
        _result is not null ? CreateFinalException() : new RpcException(StatusCode.Cancelled, "The call was disposed.");

    /// <summary>Called by the reading path when it is done with the body.</summary>
    private void ReleaseReader()
    {
        Volatile.Write(ref _readerState, ReaderReleased);
        CompleteReader();
    }

    /// <summary>Called on dispose: a read in progress releases the body itself when it returns.</summary>
    private void ReleaseReaderIfIdle()
    {
        if (Interlocked.CompareExchange(ref _readerState, ReaderReleased, ReaderIdle) == ReaderIdle)
        {
            CompleteReader();
        }
    }

    private void CompleteReader()
    {
        Interlocked.Exchange(ref _messageReader, null)?.Dispose();
        Interlocked.Exchange(ref _pipeReader, null)?.Complete();
    }
}
