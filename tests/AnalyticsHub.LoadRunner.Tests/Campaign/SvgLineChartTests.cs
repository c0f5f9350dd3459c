using System.Xml.Linq;
using AnalyticsHub.LoadRunner.Campaign;

namespace AnalyticsHub.LoadRunner.Tests.Campaign;

public class SvgLineChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Theory]
    [InlineData(1.0, 1.0)]
    [InlineData(1.05, 2.0)]
    [InlineData(2.0, 2.0)]
    [InlineData(2.1, 2.5)]
    [InlineData(2.6, 5.0)]
    [InlineData(5.01, 10.0)]
    [InlineData(7.0, 10.0)]
    [InlineData(12.0, 20.0)]
    [InlineData(999.0, 1000.0)]
    [InlineData(1000.0, 1000.0)]
    [InlineData(1_470_000.0, 2_000_000.0)]
    [InlineData(0.003, 0.005)]
    [InlineData(0.3, 0.5)]
    public void NiceCeiling_IsOneTwoTwoAndAHalfOrFiveTimesAPowerOfTen(double value, double expected)
    {
        var nice = SvgLineChart.NiceCeiling(value);
        Assert.Equal(expected, nice, 12);
        Assert.True(nice >= value);
    }

    [Fact]
    public void Render_IsSvgXml_WithOnePolylinePerSeries_AndExactPoints()
    {
        var svg = SvgLineChart.Render("events/s <&> \"x\"", "events/s",
        [
            new SvgLineChart.Series("achieved", "#1f77b4", [0, 500_000, 1_000_000]),
            new SvgLineChart.Series("offered & more", "#888", [1_000_000, 1_000_000, 1_000_000], Dashed: true),
        ]);

        var root = XElement.Parse(svg);
        Assert.Equal(Svg + "svg", root.Name);
        Assert.Equal("760", root.Attribute("width")!.Value);
        Assert.Equal("events/s <&> \"x\"", root.Attribute("aria-label")!.Value);
        var texts = root.Elements(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("events/s <&> \"x\"", texts);
        Assert.Contains("offered & more", texts);
        Assert.Contains("second → (3)", texts);

        // max 1M × 1.05 → a 2M axis with gridlines at 0, 500k, 1M, 1.5M, 2M.
        foreach (var label in new[] { "0", "500k", "1M", "1.5M", "2M" })
        {
            Assert.Contains(label, texts);
        }

        var lines = root.Elements(Svg + "polyline").ToList();
        Assert.Equal(2, lines.Count);
        // x from 70 to 610 over 3 points; y from 200 (0) to 24 (2M) over the 176-pixel plot.
        Assert.Equal("70,200 340,156 610,112", lines[0].Attribute("points")!.Value);
        Assert.Equal("#1f77b4", lines[0].Attribute("stroke")!.Value);
        Assert.Null(lines[0].Attribute("stroke-dasharray"));
        Assert.Equal("70,112 340,112 610,112", lines[1].Attribute("points")!.Value);
        Assert.Equal("5 3", lines[1].Attribute("stroke-dasharray")!.Value);
    }

    [Fact]
    public void Render_SkipsValuesThatAreNotFinite()
    {
        var svg = SvgLineChart.Render("t", "ms", [new SvgLineChart.Series("p99", "#d62728", [1, double.NaN, double.PositiveInfinity, 2])]);
        var points = XElement.Parse(svg).Element(Svg + "polyline")!.Attribute("points")!.Value.Split(' ');
        Assert.Equal(2, points.Length);
        Assert.Equal("70,", points[0][..3]);
        Assert.StartsWith("610,", points[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoDataOrAllZero_IsStillValid()
    {
        var empty = XElement.Parse(SvgLineChart.Render("t", "ms", []));
        Assert.Empty(empty.Elements(Svg + "polyline"));

        var zeros = XElement.Parse(SvgLineChart.Render("t", "ms", [new SvgLineChart.Series("p50", "#2ca02c", [0, 0]), new SvgLineChart.Series("none", "#000", [])]));
        Assert.Equal("70,200 610,200", zeros.Elements(Svg + "polyline").First().Attribute("points")!.Value);
        Assert.Equal("", zeros.Elements(Svg + "polyline").Last().Attribute("points")!.Value);
        Assert.Contains("1", zeros.Elements(Svg + "text").Select(t => t.Value)); // a 0-1 axis
    }
}
