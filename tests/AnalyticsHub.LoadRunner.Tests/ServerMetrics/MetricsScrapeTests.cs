using AnalyticsHub.LoadRunner.ServerMetrics;

namespace AnalyticsHub.LoadRunner.Tests.ServerMetrics;

public class MetricsScrapeTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Parse_SkipsCommentsHelpTypeAndBlankLines_AndKeepsEverySample()
    {
        const string text = """
            # HELP hub_ingest_events_accepted_total Events accepted {with braces} and "quotes".
            # TYPE hub_ingest_events_accepted_total counter
            hub_ingest_events_accepted_total 12345

            # a free comment
            hub_ingest_events_rejected_total{reason="invalid_uuid"} 7
            hub_ingest_events_rejected_total{reason="timestamp_out_of_range"} 3
            hub_wal_retained_bytes 1.5e9

            """;
        var scrape = MetricsScrape.Parse(text, At);

        Assert.Equal(At, scrape.At);
        Assert.Equal(["hub_ingest_events_accepted_total", "hub_ingest_events_rejected_total", "hub_wal_retained_bytes"], scrape.Names.Order(StringComparer.Ordinal));
        Assert.Equal(12345, scrape.Series("hub_ingest_events_accepted_total")[""]);
        var rejected = scrape.Series("hub_ingest_events_rejected_total");
        Assert.Equal(2, rejected.Count);
        Assert.Equal(7, rejected["reason=\"invalid_uuid\""]);
        Assert.Equal(3, rejected["reason=\"timestamp_out_of_range\""]);
        Assert.Equal(1.5e9, scrape.Series("hub_wal_retained_bytes")[""]);
    }

    [Fact]
    public void Parse_CrLfLineEnds_AreAccepted()
    {
        var scrape = MetricsScrape.Parse("# TYPE a gauge\r\na 1\r\nb{x=\"y\"} 2\r\n", At);
        Assert.Equal(1, scrape.Series("a")[""]);
        Assert.Equal(2, scrape.Series("b")["x=\"y\""]);
    }

    [Fact]
    public void Parse_LabelValues_WithEscapedQuotesCommasAndBraces_StayOneLabelSet()
    {
        const string text = """
            m{path="/a,b",quote="say \"hi\"",brace="}{",le="0.5"} 4
            m{back="x\\",next="}"} 5
            m{} 6
            """;
        var series = MetricsScrape.Parse(text, At).Series("m");

        Assert.Equal(3, series.Count);
        Assert.Equal(4, series["path=\"/a,b\",quote=\"say \\\"hi\\\"\",brace=\"}{\",le=\"0.5\""]);
        // An escaped backslash before the closing quote does not escape the quote.
        Assert.Equal(5, series["back=\"x\\\\\",next=\"}\""]);
        Assert.Equal(6, series[""]);
    }

    [Fact]
    public void Parse_SpecialValues_AndOptionalTimestamps()
    {
        const string text = """
            bucket{le="+Inf"} +Inf
            low -Inf
            unknown NaN
            with_ts 42 1700000000000
            exp 1.25e-3
            negative -3.5
            """;
        var scrape = MetricsScrape.Parse(text, At);

        Assert.Equal(double.PositiveInfinity, scrape.Series("bucket")["le=\"+Inf\""]);
        Assert.Equal(double.NegativeInfinity, scrape.Series("low")[""]);
        Assert.True(double.IsNaN(scrape.Series("unknown")[""]));
        Assert.Equal(42, scrape.Series("with_ts")[""]); // the timestamp is not the value
        Assert.Equal(0.00125, scrape.Series("exp")[""]);
        Assert.Equal(-3.5, scrape.Series("negative")[""]);
    }

    [Fact]
    public void Parse_SameSeriesTwice_LastValueWins()
    {
        var scrape = MetricsScrape.Parse("a{x=\"1\"} 1\na{x=\"1\"} 2\n", At);
        Assert.Equal(2, Assert.Single(scrape.Series("a")).Value);
    }

    [Fact]
    public void Series_OfAnAbsentMetric_IsEmpty()
    {
        var scrape = MetricsScrape.Parse("a 1\n", At);
        Assert.Empty(scrape.Series("b"));
        Assert.Empty(MetricsScrape.Parse("", At).Names);
    }

    [Theory]
    [InlineData("a 1\n# ok\nnot a sample line\n", 3)]        // three fields
    [InlineData("a 1\nb\n", 2)]                               // no value
    [InlineData("a 1\n\nb{x=\"1\" 2\n", 3)]                   // unclosed label set
    [InlineData("b{x=\"1} 2\n", 1)]                           // unclosed quote swallows the brace
    [InlineData("a 1\nb abc\n", 2)]                           // not a number
    [InlineData("{x=\"1\"} 2\n", 1)]                          // no name
    [InlineData("a 1 2 3\n", 1)]                              // value, timestamp and more
    public void Parse_MalformedLine_ThrowsFormatException_WithItsLineNumber(string text, int line)
    {
        var e = Assert.Throws<FormatException>(() => MetricsScrape.Parse(text, At));
        Assert.Contains($"line {line} ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LongMalformedLine_IsQuotedShortened()
    {
        var line = "bad " + new string('x', 500) + " y";
        var e = Assert.Throws<FormatException>(() => MetricsScrape.Parse(line, At));
        Assert.True(e.Message.Length < 200, e.Message);
        Assert.Contains("…", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LeadingWhitespaceAndTabs_AreSeparators()
    {
        var scrape = MetricsScrape.Parse("  a 1\n \nb\t2\n", At);
        Assert.Equal(1, scrape.Series("a")[""]);
        Assert.Equal(2, scrape.Series("b")[""]);
    }
}
