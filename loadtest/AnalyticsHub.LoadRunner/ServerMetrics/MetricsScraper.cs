namespace AnalyticsHub.LoadRunner.ServerMetrics;

/// <summary>Reads the hub's <c>/metrics</c> (asking for the text format 0.0.4, not OpenMetrics).</summary>
public sealed class MetricsScraper(string url) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _client = new() { Timeout = Timeout };

    public string Url { get; } = url;

    /// <summary>A scrape, or an error saying why there is none (unreachable, HTTP status, bad format).</summary>
    public async Task<(MetricsScrape? Scrape, string? Error)> TryScrapeAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Url);
            request.Headers.Accept.ParseAdd("text/plain; version=0.0.4");
            using var response = await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return (null, $"GET {Url}: HTTP {(int)response.StatusCode}");
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return (MetricsScrape.Parse(text, DateTimeOffset.UtcNow), null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or FormatException)
        {
            return (null, $"GET {Url}: {e.Message}");
        }
    }

    /// <summary>
    /// Scrapes again (not cancellable: an interrupted run still gets its "after") and diffs against
    /// <paramref name="before"/>; a failed scrape on either side is the report's error, naming <paramref name="span"/>.
    /// </summary>
    public async Task<Reporting.ServerMetricsReport> ReportSinceAsync((MetricsScrape? Scrape, string? Error) before, string span)
    {
        if (before.Scrape is null)
        {
            return ServerMetricsDiff.Failed(Url, $"before the {span}: {before.Error}");
        }

        var (after, error) = await TryScrapeAsync(CancellationToken.None).ConfigureAwait(false);
        return after is null
            ? ServerMetricsDiff.Failed(Url, $"after the {span}: {error}")
            : ServerMetricsDiff.Diff(Url, before.Scrape, after);
    }

    public void Dispose() => _client.Dispose();
}
