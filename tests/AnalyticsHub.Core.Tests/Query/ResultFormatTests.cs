using AnalyticsHub.Core.Query;
using static AnalyticsHub.Core.Tests.Query.QueryTesting;

namespace AnalyticsHub.Core.Tests.Query;

public sealed class ResultFormatTests
{
    [Theory]
    [InlineData(null, ResultFormat.Points)]
    [InlineData("", ResultFormat.Points)]
    [InlineData("points", ResultFormat.Points)]
    [InlineData("columns", ResultFormat.Columns)]
    public void Format_IsResolved(string? format, ResultFormat expected)
    {
        Assert.Equal(expected, Valid(Spec() with { Format = format }).Format);
    }

    [Theory]
    [InlineData("Columns")]
    [InlineData("csv")]
    [InlineData("column")]
    public void Format_Unknown_IsRefusedWithTheChoices(string format)
    {
        var error = Error(Spec() with { Format = format });

        Assert.Equal("format", error.Field);
        Assert.Contains("use points (one object per bucket) or columns", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_IsReadFromJson()
    {
        var spec = ParsedJson("""{"metric": "latency_ms", "time_range": "last 1h", "format": "columns"}""");

        Assert.Equal("columns", spec.Format);
    }

    [Fact]
    public void Format_OfTheWrongType_IsAnError()
    {
        var result = ParseJson("""{"metric": "latency_ms", "time_range": "last 1h", "format": 1}""");

        Assert.False(result.IsValid);
        Assert.Equal("format", Assert.Single(result.Errors).Field);
    }

    [Fact]
    public void Format_DoesNotChangeTheCacheKey()
    {
        // Both layouts render one cached result.
        Assert.Equal(Valid(Spec() with { Format = "points" }).NormalizedKey, Valid(Spec() with { Format = "columns" }).NormalizedKey);
    }
}
