using AnalyticsHub.LoadRunner.Scenario;

namespace AnalyticsHub.LoadRunner.Tests.Scenario;

/// <summary>The options added with campaigns: --ramp-from, --max-errors, --metrics-url.</summary>
public class RunOptionsTests
{
    [Fact]
    public void Defaults_NoRampNoErrorLimitNoMetrics()
    {
        Assert.True(ScenarioParser.TryParse([], out var s, out _, out var error), error);
        Assert.Equal(0, s.RampFrom);
        Assert.False(s.IsRamp);
        Assert.Null(s.MaxErrors);
        Assert.Null(s.MetricsUrl);
    }

    [Fact]
    public void RampFrom_WithRate_IsARamp()
    {
        Assert.True(ScenarioParser.TryParse(["--ramp-from", "50k", "--rate=1.2M"], out var s, out _, out var error), error);
        Assert.Equal(50_000, s.RampFrom);
        Assert.Equal(1_200_000, s.Rate);
        Assert.True(s.IsRamp);
    }

    [Fact]
    public void RampFrom_WithoutRate_IsRefused()
    {
        Assert.False(ScenarioParser.TryParse(["--ramp-from", "50k"], out _, out _, out var error));
        Assert.Equal("--ramp-from needs --rate (where the ramp ends)", error);
        Assert.False(ScenarioParser.TryParse(["--ramp-from", "50k", "--rate", "0"], out _, out _, out error));
        Assert.Equal("--ramp-from needs --rate (where the ramp ends)", error);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("fast")]
    public void RampFrom_NotAPositiveRate_IsRefused(string value)
    {
        Assert.False(ScenarioParser.TryParse(["--ramp-from", value, "--rate", "1M"], out _, out _, out var error));
        Assert.StartsWith("--ramp-from: ", error, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("25", 25L)]
    [InlineData("9000000000", 9_000_000_000L)]
    public void MaxErrors_IsANonNegativeInteger(string value, long expected)
    {
        Assert.True(ScenarioParser.TryParse(["--max-errors", value], out var s, out _, out var error), error);
        Assert.Equal(expected, s.MaxErrors);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("1k")]
    public void MaxErrors_Other_IsRefused(string value)
    {
        Assert.False(ScenarioParser.TryParse(["--max-errors", value], out _, out _, out var error));
        Assert.StartsWith("--max-errors: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void MetricsUrl_MustBeHttp()
    {
        Assert.True(ScenarioParser.TryParse(["--metrics-url", "http://127.0.0.1:9090/metrics"], out var s, out _, out var error), error);
        Assert.Equal("http://127.0.0.1:9090/metrics", s.MetricsUrl);

        Assert.False(ScenarioParser.TryParse(["--metrics-url", "ftp://host/metrics"], out _, out _, out error));
        Assert.StartsWith("--metrics-url: ", error, StringComparison.Ordinal);
        Assert.False(ScenarioParser.TryParse(["--metrics-url", "/metrics"], out _, out _, out _));
    }

    [Fact]
    public void ScenarioFile_CarriesTheNewOptions()
    {
        var path = Path.Combine(Path.GetTempPath(), $"lr-run-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "ramp-from: 100k\nrate: 1M\nmax-errors: 3\nmetrics-url: http://127.0.0.1:9090/metrics\n");
        try
        {
            Assert.True(ScenarioParser.TryParse(["--scenario", path, "--max-errors", "0"], out var s, out _, out var error), error);
            Assert.Equal(100_000, s.RampFrom);
            Assert.Equal(1_000_000, s.Rate);
            Assert.Equal(0, s.MaxErrors); // the command line wins
            Assert.Equal("http://127.0.0.1:9090/metrics", s.MetricsUrl);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
