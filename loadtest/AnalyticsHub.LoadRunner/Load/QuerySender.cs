using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace AnalyticsHub.LoadRunner.Load;

/// <summary>
/// One closed-loop query client: POSTs the next body of <see cref="QueryBodies"/> to
/// <c>--query-url</c>, reads the whole answer, records the latency (send → last byte) and what
/// <c>meta</c> says, and asks again (paced when <c>--rate</c> is set). A non-2xx answer is an
/// error by status and error code (<c>http 400 invalid_query</c>); 429 and 503 pause the client
/// (Retry-After, at most 1 s), a failed connection 50 ms.
/// </summary>
internal sealed class QuerySender(RunContext run, HttpClient client, QueryBodies bodies, Pacer pacer) : ISender
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan BackoffDelay = TimeSpan.FromMilliseconds(50);

    private readonly Uri _url = new(run.Scenario.QueryUrl);
    private readonly Version _version = run.Scenario.RestHttp2 ? HttpVersion.Version20 : HttpVersion.Version11;
    private readonly TailBuffer _tail = new();

    public async Task RunAsync()
    {
        var stop = run.StopSending.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await pacer.WaitAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            run.Recorder.BatchSent(1);
            TimeSpan pause;
            try
            {
                pause = await AskAsync(bodies.Next(), run.Abandon.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                run.Fail(e, 1);
                if (run.Abandon.IsCancellationRequested)
                {
                    return;
                }

                pause = ErrorKinds.IsBackoff(e) ? BackoffDelay : TimeSpan.Zero;
            }

            if (pause > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(pause, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>One query; returns how long to pause before the next (the server asked to slow down).</summary>
    private async Task<TimeSpan> AskAsync(byte[] body, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        using var request = new HttpRequestMessage(HttpMethod.Post, _url)
        {
            Content = content,
            Version = _version,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        var start = Stopwatch.GetTimestamp();
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await _tail.ReadToEndAsync(stream, cancellationToken).ConfigureAwait(false);
        }

        var latency = RunContext.ToNanos(Stopwatch.GetTimestamp() - start);
        if (response.IsSuccessStatusCode)
        {
            run.Recorder.Ack(latency, 1, 1, 0, 0);
            run.Queries.Answer(QueryMetaParser.Parse(_tail.Tail), latency, _tail.Total);
            return TimeSpan.Zero;
        }

        var code = QueryMetaParser.ErrorCode(_tail.Tail);
        run.Recorder.Error(ErrorKinds.Http((int)response.StatusCode) + (code is null ? "" : " " + code));
        return response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable
            ? response.Headers.RetryAfter?.Delta is { } delay && delay > TimeSpan.Zero ? (delay < MaxRetryAfter ? delay : MaxRetryAfter) : BackoffDelay
            : TimeSpan.Zero;
    }
}
