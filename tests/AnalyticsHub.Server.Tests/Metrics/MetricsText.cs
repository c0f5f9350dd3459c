using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace AnalyticsHub.Server.Tests.Metrics;

/// <summary>Scraping the hub's metrics port and reading samples out of the text.</summary>
internal static class MetricsText
{
    public static async Task<(HttpStatusCode Status, string? ContentType, string Body)> ScrapeAsync(int port, string? accept = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/metrics");
        if (accept is not null)
        {
            request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsStringAsync());
    }

    public static async Task<string> ScrapeTextAsync(int port)
    {
        var (status, _, body) = await ScrapeAsync(port);
        Assert.Equal(HttpStatusCode.OK, status);
        return body;
    }

    /// <summary>The value of the sample named exactly <paramref name="sample"/> (labels included, e.g. <c>x{a="b"}</c>); 0 when absent, as for a counter not yet incremented.</summary>
    public static double Value(string text, string sample)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.Length > sample.Length && line.StartsWith(sample, StringComparison.Ordinal) && line[sample.Length] == ' ')
            {
                return double.Parse(line.AsSpan(sample.Length + 1), NumberStyles.Float, CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
