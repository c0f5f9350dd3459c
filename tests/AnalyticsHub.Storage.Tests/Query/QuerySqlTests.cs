using AnalyticsHub.Storage.Stores.ClickHouse.Internal;
using AnalyticsHub.Storage.Stores.Internal;

namespace AnalyticsHub.Storage.Tests.Query;

/// <summary>The pieces of the query builder that need no store.</summary>
public sealed class QuerySqlTests
{
    [Theory]
    [InlineData("12", 12.0)]
    [InlineData("-0.5", -0.5)]
    [InlineData("007", 7.0)]
    [InlineData("1e2", 100.0)]
    [InlineData("1.5E-3", 0.0015)]
    [InlineData("2e+10", 2e10)]
    [InlineData("1e-400", 0.0)]
    public void ParseNumberText_PlainDecimals_AreNumbers(string text, double expected) =>
        Assert.Equal(expected, EventQuerySql.ParseNumberText(text));

    [Theory]
    [InlineData("")]
    [InlineData(" 12")]
    [InlineData("+5")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("1e")]
    [InlineData("1e1000")]
    [InlineData("1.8e308")]
    [InlineData("0x10")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1,5")]
    [InlineData("١٢")]
    public void ParseNumberText_AnythingElse_IsNotANumber(string text) =>
        Assert.Null(EventQuerySql.ParseNumberText(text));

    [Fact]
    public void FormatId_IsTheCanonicalLowerCaseText()
    {
        var id = Guid.NewGuid().ToString("D");
        Assert.True(Core.Validation.Uuid.TryParse(System.Text.Encoding.UTF8.GetBytes(id.ToUpperInvariant()), out ulong high, out ulong low));
        Assert.Equal(id, EventQueryChecks.FormatId(high, low));
        Assert.Equal("00000000-0000-0000-0000-000000000000", EventQueryChecks.FormatId(0, 0));
        Assert.Equal("ffffffff-ffff-ffff-ffff-ffffffffffff", EventQueryChecks.FormatId(ulong.MaxValue, ulong.MaxValue));
    }

    [Theory]
    [InlineData("model", "model")]
    [InlineData("we\"ird", "we\\\"ird")]
    [InlineData("back\\slash", "back\\\\slash")]
    [InlineData("ключ", "ключ")]
    [InlineData("new\nline", "new\\nline")]
    [InlineData("😀", "\\uD83D\\uDE00")]
    public void ClickHouseKeys_AreLookedUpAsTheIngestionEscapedThem(string key, string stored) =>
        Assert.Equal(stored, ClickHouseQuerySql.EscapedKey(key));
}
