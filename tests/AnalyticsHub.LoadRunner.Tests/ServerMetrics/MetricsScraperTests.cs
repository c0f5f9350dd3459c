using System.Net;
using System.Net.Sockets;
using System.Text;
using AnalyticsHub.LoadRunner.ServerMetrics;

namespace AnalyticsHub.LoadRunner.Tests.ServerMetrics;

/// <summary>The scraper against a small HTTP server on loopback (not a hub).</summary>
public sealed class MetricsScraperTests : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private volatile string? _accept;
    private int _status = 200;
    private string _body = "";

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        _stop.Dispose();
    }

    [Fact]
    public async Task Scrape_AsksForTheTextFormat_AndParsesIt()
    {
        _body = "# TYPE hub_ingest_events_accepted_total counter\nhub_ingest_events_accepted_total 42\nhub_store_up 1\n";
        var url = Start();
        using var scraper = new MetricsScraper(url);
        var before = DateTimeOffset.UtcNow;

        var (scrape, error) = await scraper.TryScrapeAsync(CancellationToken.None);

        Assert.Null(error);
        Assert.NotNull(scrape);
        Assert.Equal(42, scrape.Series("hub_ingest_events_accepted_total")[""]);
        Assert.Equal(1, scrape.Series("hub_store_up")[""]);
        Assert.InRange(scrape.At, before, DateTimeOffset.UtcNow);
        Assert.Equal("text/plain; version=0.0.4", _accept);
        Assert.Equal(url, scraper.Url);
    }

    [Fact]
    public async Task HttpError_IsAnError_WithTheStatus()
    {
        _status = 503;
        var url = Start();
        using var scraper = new MetricsScraper(url);

        var (scrape, error) = await scraper.TryScrapeAsync(CancellationToken.None);

        Assert.Null(scrape);
        Assert.Equal($"GET {url}: HTTP 503", error);
    }

    [Fact]
    public async Task MalformedText_IsAnError_WithTheLine()
    {
        _body = "a 1\nb 2\nthis is not a sample\n";
        var url = Start();
        using var scraper = new MetricsScraper(url);

        var (scrape, error) = await scraper.TryScrapeAsync(CancellationToken.None);

        Assert.Null(scrape);
        Assert.StartsWith($"GET {url}: line 3 is not a sample", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NothingListening_IsAnError_NotAnException()
    {
        var url = $"http://127.0.0.1:{FreePort()}/metrics";
        using var scraper = new MetricsScraper(url);

        var (scrape, error) = await scraper.TryScrapeAsync(CancellationToken.None);

        Assert.Null(scrape);
        Assert.StartsWith($"GET {url}: ", error, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private string Start()
    {
        _listener.Prefixes.Add($"http://127.0.0.1:{FreePort()}/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
        return _listener.Prefixes.Single() + "metrics";
    }

    private async Task ServeAsync()
    {
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

            _accept = context.Request.Headers["Accept"];
            var bytes = Encoding.UTF8.GetBytes(_body);
            context.Response.StatusCode = _status;
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
