using AnalyticsHub.Server.Metrics;

namespace AnalyticsHub.Server.UnitTests.Metrics;

/// <summary>Content negotiation from the scraper's Accept header.</summary>
public sealed class ExpositionFormatTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("*/*")]
    [InlineData("text/plain")]
    [InlineData("text/plain;version=0.0.4;q=1,application/openmetrics-text;version=1.0.0;q=0.5")]
    [InlineData("application/openmetrics-text;version=2.0.0")]
    [InlineData("application/openmetrics-text;q=0")]
    [InlineData("application/json")]
    public void PrometheusText(string? accept) =>
        Assert.Equal(ExpositionFormat.PrometheusText, ExpositionFormats.Negotiate(accept));

    [Theory]
    [InlineData("application/openmetrics-text")]
    [InlineData("application/openmetrics-text; version=1.0.0; charset=utf-8")]
    // What Prometheus 2.x sends.
    [InlineData("application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1")]
    public void OpenMetrics(string accept) =>
        Assert.Equal(ExpositionFormat.OpenMetrics, ExpositionFormats.Negotiate(accept));

    [Fact]
    public void ContentTypes_AreTheOnesScrapersExpect()
    {
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", ExpositionFormats.ContentType(ExpositionFormat.PrometheusText));
        Assert.Equal("application/openmetrics-text; version=1.0.0; charset=utf-8", ExpositionFormats.ContentType(ExpositionFormat.OpenMetrics));
    }
}
