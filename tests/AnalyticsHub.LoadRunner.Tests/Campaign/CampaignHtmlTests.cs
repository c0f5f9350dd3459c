using System.Text.RegularExpressions;
using System.Xml.Linq;
using AnalyticsHub.LoadRunner.Campaign;
using AnalyticsHub.LoadRunner.Reporting;
using AnalyticsHub.LoadRunner.ServerMetrics;

namespace AnalyticsHub.LoadRunner.Tests.Campaign;

public partial class CampaignHtmlTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [GeneratedRegex("<svg[ >].*?</svg>", RegexOptions.Singleline)]
    private static partial Regex SvgFragment();

    private static List<XElement> Charts(string html) => [.. SvgFragment().Matches(html).Select(m => XElement.Parse(m.Value))];

    [Fact]
    public void EverySvg_ParsesAsXml_TwoChartsPerRun()
    {
        var html = CampaignHtml.Write(CampaignReportWriterTests.Sample());

        var charts = Charts(html);
        // Stage 1: rate and latency; stage 2: the same for the ingestion and for the query run beside it.
        Assert.Equal(6, charts.Count);
        Assert.Equal(Regex.Count(html, "<svg", RegexOptions.None), charts.Count);
        Assert.All(charts, c => Assert.Equal(Svg + "svg", c.Name));
        Assert.Equal(
            [
                "events/s (warmup included)", "ack latency, per second",
                "events/s (warmup included)", "ack latency, per second",
                "queries/s (warmup included)", "query latency (beside ingestion), per second",
            ],
            charts.Select(c => c.Attribute("aria-label")!.Value));
    }

    [Fact]
    public void RateChart_HasOfferedBesideAchieved_WithoutTheDrain()
    {
        var rate = Charts(CampaignHtml.Write(CampaignReportWriterTests.Sample()))[0];

        var lines = rate.Elements(Svg + "polyline").ToList();
        Assert.Equal(2, lines.Count); // achieved and (dashed) offered
        Assert.NotNull(lines[1].Attribute("stroke-dasharray"));
        Assert.All(lines, l => Assert.Equal(3, l.Attribute("points")!.Value.Split(' ').Length)); // warmup + 2 steady, no drain
        Assert.Contains("second → (3)", rate.Elements(Svg + "text").Select(t => t.Value));

        // A closed-loop run has nothing offered to draw.
        var closed = CampaignReportWriterTests.Sample();
        closed = closed with { Stages = [closed.Stages[1] with { Query = null }] };
        Assert.Single(Charts(CampaignHtml.Write(closed))[0].Elements(Svg + "polyline"));
    }

    [Fact]
    public void Names_AreHtmlEncoded()
    {
        var html = CampaignHtml.Write(CampaignReportWriterTests.Sample());

        Assert.Contains("<td>ramp &lt;&amp;&gt;</td>", html, StringComparison.Ordinal);
        Assert.Contains("<h2>1. ramp &lt;&amp;&gt; <span class=\"pass\">passed</span></h2>", html, StringComparison.Ordinal);
        Assert.Contains("<p>Ramp, then &lt;mixed&gt; &amp; more</p>", html, StringComparison.Ordinal);
        Assert.Contains("--stage &#39;ramp &lt;&amp;&gt;&#39;,mixed</pre>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<&>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<mixed>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Verdicts_ThresholdsAndHubCpu()
    {
        var html = CampaignHtml.Write(CampaignReportWriterTests.Sample());

        Assert.Contains("<title>Campaign release</title>", html, StringComparison.Ordinal);
        Assert.Contains("<h1>Campaign release: <span class=\"fail\">FAILED</span></h1>", html, StringComparison.Ordinal);
        Assert.Contains("<td>1</td><td>ramp &lt;&amp;&gt;</td><td>ramp 100,000 → 1,400,000 events/s, grpc-stream 1&#215;4</td><td>kept up to 820,000</td><td>4.10</td><td>14.20</td><td>0</td><td class=\"pass\">pass</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>812,000</td><td>4.10</td><td>14.20</td><td>12</td><td class=\"fail\">FAIL</td>", html, StringComparison.Ordinal); // 10 failed batches + 2 failed queries
        Assert.Contains("<tr><td>max-p99-ms (query latency)</td><td>250.00</td><td>300.00</td><td class=\"fail\">FAIL</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<p>Hub: 1.50 cores of CPU; 9,000,000 events accepted by its count.</p>", html, StringComparison.Ordinal);
        Assert.Equal(1, Regex.Count(html, "Hub: ", RegexOptions.None)); // stage 2 had no metrics URL
        Assert.EndsWith("</body></html>\n", html, StringComparison.Ordinal);
    }

    [Fact]
    public void FailedScrape_HasNoHubLine()
    {
        var report = CampaignReportWriterTests.Sample();
        var stage = report.Stages[0] with { Load = report.Stages[0].Load with { Server = ServerMetricsDiff.Failed("http://x/metrics", "HTTP 503") } };
        var html = CampaignHtml.Write(report with { Stages = [stage], Passed = true, ExitCode = ExitCodes.Passed });
        Assert.DoesNotContain("Hub: ", html, StringComparison.Ordinal);
        Assert.Contains("<h1>Campaign release: <span class=\"pass\">PASSED</span></h1>", html, StringComparison.Ordinal);
    }
}
