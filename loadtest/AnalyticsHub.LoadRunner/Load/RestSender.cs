using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using AnalyticsHub.LoadRunner.Generation;

namespace AnalyticsHub.LoadRunner.Load;

/// <summary>
/// One producer POSTing JSON arrays of events to <c>--rest-url</c>, W requests at a time. A 2xx
/// response is the ack; its counts come from the body when it has them (<see cref="RestAckParser"/>).
/// A non-2xx status is an error by status; 429 and 503 pause the loop (Retry-After, at most 1 s).
/// </summary>
internal sealed class RestSender(RunContext run, HttpClient client, int connection, int stream, int senderIndex)
    : CallSender(run, connection, stream, senderIndex)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(1);
    private const int InitialBodyBuffer = 128 * 1024;

    private readonly Uri _url = new(run.Scenario.RestUrl);
    private readonly Version _version = run.Scenario.RestHttp2 ? HttpVersion.Version20 : HttpVersion.Version11;

    /// <summary>The client for one REST connection group (HTTP/1.1 opens one socket per request in flight).</summary>
    public static HttpClient CreateClient(bool http2, int maxConnections) =>
        new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = http2 ? 1 : Math.Max(1, maxConnections),
            EnableMultipleHttp2Connections = false,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };

    protected override IBatchBuffer CreateBuffer(int slot) =>
        new JsonBuffer(JsonBatchTemplate.Create(Run.CreateEvents(SenderIndex), Run.Ids), Run.CreateTimeSpread((SenderIndex * Run.Scenario.Inflight) + slot));

    protected override async Task<CallAck> SendAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentType = Json;
        using var request = new HttpRequestMessage(HttpMethod.Post, _url)
        {
            Content = content,
            Version = _version,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var (buffer, length) = await ReadBodyAsync(response.Content, cancellationToken).ConfigureAwait(false);
        try
        {
            if (response.IsSuccessStatusCode)
            {
                return RestAckParser.Parse(buffer.AsSpan(0, length), Run.Scenario.Batch);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable
            && response.Headers.RetryAfter?.Delta is { } delay && delay > TimeSpan.Zero)
        {
            await Task.Delay(delay < MaxRetryAfter ? delay : MaxRetryAfter, cancellationToken).ConfigureAwait(false);
        }

        throw new HttpRequestException($"HTTP {(int)response.StatusCode}", null, response.StatusCode);
    }

    /// <summary>
    /// The whole response body in a pooled buffer (the hub answers ~100 bytes per event: reading
    /// it into fresh arrays would allocate more than the request). Return the buffer to the pool.
    /// </summary>
    private static async Task<(byte[] Buffer, int Length)> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBodyBuffer);
        var length = 0;
        try
        {
            var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return (buffer, length);
                    }

                    length += read;
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private sealed class JsonBuffer(JsonBatchTemplate template, TimeSpread? spread) : IBatchBuffer
    {
        public ReadOnlyMemory<byte> Patch(ulong firstCounter, ulong sequence) => template.Patch(firstCounter, DateTime.UtcNow, spread);
    }
}
