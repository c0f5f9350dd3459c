using System.Net;
using System.Net.Sockets;
using System.Text;
using AnalyticsHub.LoadRunner.Load;
using AnalyticsHub.LoadRunner.Metrics;
using AnalyticsHub.LoadRunner.Output;
using AnalyticsHub.LoadRunner.Scenario;

namespace AnalyticsHub.LoadRunner.Tests.Load;

/// <summary>The whole query mode (LoadRun, clients, reading, meta) against a real HTTP server on loopback.</summary>
public sealed class QueryRunTests : IDisposable
{
    private readonly string _body = Path.Combine(Path.GetTempPath(), $"lr-q-{Guid.NewGuid():N}.json");
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private long _requests;

    public QueryRunTests() => File.WriteAllText(_body, """{"metric":"llm.request.latency","time_range":"last 24h"}""");

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        _stop.Dispose();
        File.Delete(_body);
    }

    [Fact]
    public async Task QueryMode_AgainstAServer_CountsAnswersCacheSourcesAndErrorsByCode()
    {
        var url = StartServer();
        Assert.True(ScenarioParser.TryParse(
            ["--mode", "query", "--query-url", url, "--query", _body, "--clients", "3", "--duration", "3s", "--warmup", "0s", "--drain-timeout", "5s"],
            out var scenario, out _, out var error), error);

        var result = await new LoadRun(scenario, new PlainProgressView(TextWriter.Null, queries: true)).RunAsync(CancellationToken.None);

        var q = Assert.IsType<QueryAnswerSnapshot>(result.Queries);
        Assert.True(q.Answers >= 10, $"only {q.Answers} answers");
        Assert.Equal(0, q.WithoutMeta);
        Assert.Equal(q.Answers, q.Sources["rollup"]);
        Assert.Equal(q.Answers, q.ResponseBytes.Count);
        Assert.True(q.ResponseBytes.Max > 300_000, "the large answers were read to the end");

        // Every other answer is cached, every fifth request an error: both shares are near their rate.
        Assert.InRange((double)q.Cached / q.Answers, 0.3, 0.7);
        var errors = Assert.Single(result.Errors);
        Assert.Equal("http 400 invalid_query", errors.Key);
        Assert.Equal(result.Totals.BatchesSent, result.Totals.BatchesAcked + result.Totals.BatchesFailed);
        Assert.True(q.ServerNanos.Count == q.Answers && q.ServerNanos.Max == 1_500_000);
    }

    private string StartServer()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        }

        _listener.Start();
        _ = Task.Run(ServeAsync);
        return _listener.Prefixes.Single() + "api/v1/query";
    }

    private async Task ServeAsync()
    {
        var large = Encoding.UTF8.GetBytes(QueryMetaParserTests.Answer(points: 3_000, """{"execution_time_ms":1.5,"row_count":3000,"cached":true,"source":"rollup"}"""));
        var fresh = Encoding.UTF8.GetBytes(QueryMetaParserTests.Answer(points: 10, """{"execution_time_ms":1.5,"row_count":10,"cached":false,"source":"rollup"}"""));
        var invalid = """{"status":"error","data":null,"error":{"code":"invalid_query","message":"no","details":[]},"meta":{"execution_time_ms":0,"row_count":0,"cached":false}}"""u8.ToArray();
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                using var reader = new StreamReader(context.Request.InputStream);
                var request = await reader.ReadToEndAsync();
                var n = Interlocked.Increment(ref _requests);
                var (status, body) = !request.Contains("llm.request.latency", StringComparison.Ordinal) ? (500, invalid)
                    : n % 5 == 0 ? (400, invalid)
                    : n % 2 == 0 ? (200, large)
                    : (200, fresh);
                context.Response.StatusCode = status;
                context.Response.ContentType = "application/json";
                context.Response.ContentLength64 = body.Length;
                try
                {
                    await context.Response.OutputStream.WriteAsync(body);
                    context.Response.Close();
                }
                catch (HttpListenerException)
                {
                    // The client went away at the end of the run.
                }
            });
        }
    }
}
