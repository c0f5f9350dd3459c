using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace AnalyticsHub.Storage.Stores.ClickHouse.Internal;

/// <summary>How a failed request is reported.</summary>
internal enum FailureKind
{
    /// <summary>An insert: a data error code rejects the rows, anything else is transient.</summary>
    Write,

    /// <summary>Schema work: a busy/failing-server code is transient, any other server error rejects the schema.</summary>
    Schema,

    /// <summary>A lookup: every failure is transient.</summary>
    Read,
}

/// <summary>
/// The ClickHouse HTTP interface over one pooled <see cref="HttpClient"/>: statements and queries
/// POSTed as text, inserts with a streamed body, and every failure turned into
/// <see cref="StoreUnavailableException"/> or <see cref="StoreRejectedException"/> naming the server.
/// </summary>
internal sealed class ClickHouseHttp : IDisposable
{
    // ClickHouse closes an idle keep-alive connection after keep_alive_timeout (3 s in Debian's
    // config, 10 s built in). Dropping ours sooner means a request never goes out on a connection
    // the server is closing.
    private static readonly TimeSpan IdleConnectionTimeout = TimeSpan.FromSeconds(2);

    private static readonly MediaTypeHeaderValue TextPlain = new("text/plain") { CharSet = "utf-8" };

    private readonly HttpClient _client;

    public ClickHouseHttp(ClickHouseStoreOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionIdleTimeout = IdleConnectionTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            UseCookies = false,
            UseProxy = false,
        };
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        if (options.User.Length > 0)
        {
            _client.DefaultRequestHeaders.TryAddWithoutValidation("X-ClickHouse-User", options.User);
            _client.DefaultRequestHeaders.TryAddWithoutValidation("X-ClickHouse-Key", options.Password);
        }

        RequestTimeout = options.RequestTimeout;
    }

    public TimeSpan RequestTimeout { get; }

    /// <summary>
    /// Runs <paramref name="sql"/> (SQL in the body) and returns the whole answer. The server buffers
    /// the result (<c>wait_end_of_query=1</c>) so a failure mid-query comes back as an error status;
    /// an exception text at the end of a 200 answer is caught as well. <paramref name="settings"/>
    /// (<c>name=value&amp;…</c>) go in the URL and may override <c>wait_end_of_query</c>.
    /// </summary>
    public async Task<string> QueryAsync(Uri node, string sql, FailureKind kind, string what, CancellationToken cancellationToken, TimeSpan? timeout = null, string settings = "")
    {
        string query = settings.Contains("wait_end_of_query=", StringComparison.Ordinal) ? settings
            : "wait_end_of_query=1" + (settings.Length > 0 ? "&" + settings : "");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(node, "?" + query))
        {
            Content = new StringContent(sql, Encoding.UTF8, TextPlain),
        };
        string body = await SendAsync(node, request, kind, what, timeout ?? RequestTimeout, cancellationToken).ConfigureAwait(false);
        if (EndsWithException(body, out var error))
        {
            throw Failure(node, kind, what, HttpStatusCode.OK, error);
        }

        return body;
    }

    /// <summary>
    /// Runs a query (SQL in the body, <c>wait_end_of_query=1</c>, so the server reports a failure as an
    /// error status before any row) and hands the answer's body, as it streams in, to
    /// <paramref name="read"/>. Every failure is transient (<see cref="StoreUnavailableException"/>).
    /// </summary>
    public async Task<T> ReadAsync<T>(Uri node, string sql, string what, Func<Stream, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(RequestTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(node, "?wait_end_of_query=1"))
        {
            Content = new StringContent(sql, Encoding.UTF8, TextPlain),
        };
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                string body = await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false);
                throw ClickHouseError.TryParse(body, out var error)
                    ? Failure(node, FailureKind.Read, what, response.StatusCode, error)
                    : new StoreUnavailableException(
                        $"ClickHouse at {Describe(node)} failed {what}: HTTP {(int)response.StatusCode} {response.ReasonPhrase} {Cap(body)}".TrimEnd());
            }

            await using var stream = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
            return await read(stream, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw;
        }
        catch (OperationCanceledException e)
        {
            throw new StoreUnavailableException($"ClickHouse at {Describe(node)} did not answer {what} within {RequestTimeout.TotalSeconds:0.###} s.", e);
        }
        catch (HttpRequestException e)
        {
            throw new StoreUnavailableException($"ClickHouse at {Describe(node)} is unreachable ({what}): {Reason(e)}", e);
        }
        catch (IOException e)
        {
            throw new StoreUnavailableException($"ClickHouse at {Describe(node)} dropped the connection or sent a malformed answer ({what}): {e.Message}", e);
        }
    }

    /// <summary>Sends an INSERT whose data is <paramref name="content"/> (<paramref name="query"/> and <paramref name="settings"/> go in the URL).</summary>
    public async Task InsertAsync(Uri node, string query, string settings, HttpContent content, string what, CancellationToken cancellationToken)
    {
        var uri = new Uri(node, "?query=" + Uri.EscapeDataString(query) + (settings.Length > 0 ? "&" + settings : ""));
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        await SendAsync(node, request, FailureKind.Write, what, RequestTimeout, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _client.Dispose();

    private async Task<string> SendAsync(Uri node, HttpRequestMessage request, FailureKind kind, string what, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            string body = await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return body;
            }

            throw ClickHouseError.TryParse(body, out var error)
                ? Failure(node, kind, what, response.StatusCode, error)
                : new StoreUnavailableException(
                    $"ClickHouse at {Describe(node)} failed {what}: HTTP {(int)response.StatusCode} {response.ReasonPhrase} {Cap(body)}".TrimEnd());
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller's own cancellation, reported with the caller's token (not the linked deadline's).
            cancellationToken.ThrowIfCancellationRequested();
            throw;
        }
        catch (OperationCanceledException e)
        {
            throw new StoreUnavailableException(
                $"ClickHouse at {Describe(node)} did not answer {what} within {timeout.TotalSeconds:0.###} s.", e);
        }
        catch (HttpRequestException e)
        {
            throw new StoreUnavailableException($"ClickHouse at {Describe(node)} is unreachable ({what}): {Reason(e)}", e);
        }
        catch (IOException e)
        {
            throw new StoreUnavailableException($"ClickHouse at {Describe(node)} dropped the connection ({what}): {e.Message}", e);
        }
    }

    private static Exception Failure(Uri node, FailureKind kind, string what, HttpStatusCode status, ClickHouseError error)
    {
        bool rejected = kind switch
        {
            FailureKind.Write => error.IsDataError,
            FailureKind.Schema => !error.IsTransient,
            _ => false,
        };
        return rejected
            ? new StoreRejectedException($"ClickHouse at {Describe(node)} refused {what}: {error.Message}", error.Message)
            : new StoreUnavailableException(
                $"ClickHouse at {Describe(node)} failed {what} (HTTP {(int)status}, {(error.IsTransient ? "transient" : "retryable")} error {error.Code}): {error.Message}");
    }

    // A 200 answer that ends in an exception: the server failed after it had started streaming.
    private static bool EndsWithException(string body, out ClickHouseError error)
    {
        error = default;
        // The exception text starts a line and may span a few (18.16 ends it with "\n, e.what() = …").
        var tail = body.AsSpan().TrimEnd();
        bool whole = tail.Length <= ClickHouseError.MaxMessageLength;
        tail = whole ? tail : tail[^ClickHouseError.MaxMessageLength..];
        int at = tail.LastIndexOf("Code: ", StringComparison.Ordinal);
        return at >= 0
            && ((at == 0 && whole) || (at > 0 && tail[at - 1] == '\n'))
            && tail[at..].Contains("DB::Exception", StringComparison.Ordinal)
            && ClickHouseError.TryParse(tail[at..], out error);
    }

    private static string Reason(HttpRequestException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return $"{socket.Message} ({socket.SocketErrorCode})";
            }
        }

        return e.HttpRequestError == HttpRequestError.Unknown ? e.Message : $"{e.Message} ({e.HttpRequestError})";
    }

    private static string Describe(Uri node) => node.GetLeftPart(UriPartial.Authority);

    private static string Cap(string text) => text.Length > 512 ? text[..512] + "…" : text.Trim();
}
