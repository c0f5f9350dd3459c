using System.Text;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Normalization;

namespace AnalyticsHub.Core.Tests.Normalization;

public sealed class SeverityMapperTests
{
    [Theory]
    [InlineData("debug", Severity.Debug)]
    [InlineData("trace", Severity.Debug)]
    [InlineData("verbose", Severity.Debug)]
    [InlineData("info", Severity.Info)]
    [InlineData("informational", Severity.Info)]
    [InlineData("low", Severity.Info)]
    [InlineData("notice", Severity.Info)]
    [InlineData("warning", Severity.Warning)]
    [InlineData("warn", Severity.Warning)]
    [InlineData("medium", Severity.Warning)]
    [InlineData("moderate", Severity.Warning)]
    [InlineData("error", Severity.Error)]
    [InlineData("err", Severity.Error)]
    [InlineData("high", Severity.Error)]
    [InlineData("severe", Severity.Error)]
    [InlineData("critical", Severity.Critical)]
    [InlineData("crit", Severity.Critical)]
    [InlineData("fatal", Severity.Critical)]
    [InlineData("emergency", Severity.Critical)]
    [InlineData("alert", Severity.Critical)]
    [InlineData("CRITICAL", Severity.Critical)]
    [InlineData("High", Severity.Error)]
    [InlineData("WaRn", Severity.Warning)]
    [InlineData("  info\t", Severity.Info)]
    public void TryMap_Known(string text, Severity expected)
    {
        Assert.True(SeverityMapper.TryMap(Encoding.UTF8.GetBytes(text), out var severity));
        Assert.Equal(expected, severity);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("unknown")]
    [InlineData("none")]
    [InlineData("3")]
    [InlineData("warnings")]
    [InlineData("war")]
    [InlineData("in fo")]
    [InlineData("crítical")]
    public void TryMap_Unknown_IsNotMapped(string text)
    {
        Assert.False(SeverityMapper.TryMap(Encoding.UTF8.GetBytes(text), out var severity));
        Assert.Equal(Severity.Unspecified, severity);
    }
}
