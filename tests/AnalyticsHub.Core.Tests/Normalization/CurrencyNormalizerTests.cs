using System.Text;
using AnalyticsHub.Core.Normalization;
using AnalyticsHub.Core.Validation;

namespace AnalyticsHub.Core.Tests.Normalization;

public sealed class CurrencyNormalizerTests
{
    private static readonly CurrencyNormalizer Normalizer = new(new Dictionary<string, double>
    {
        ["EUR"] = 1.25,
        ["gbp"] = 1.5,
        ["JpY"] = 0.0078125,
    });

    [Theory]
    [InlineData("USD", 12.5, 12.5)]
    [InlineData("usd", 12.5, 12.5)]
    [InlineData("Usd", 1, 1)]
    [InlineData("", 3, 3)] // empty is USD
    [InlineData("  ", 3, 3)]
    [InlineData(" USD ", 3, 3)]
    [InlineData("USD_CENTS", 250, 2.5)]
    [InlineData("usd_cents", 1, 0.01)]
    [InlineData("cents", 50, 0.5)]
    [InlineData("CENTS", 50, 0.5)]
    [InlineData("EUR", 2, 2.5)]
    [InlineData("eur", 2, 2.5)]
    [InlineData("GBP", 2, 3)]
    [InlineData("JPY", 1_024, 8)]
    [InlineData("jpy", 128, 1)]
    public void TryToUsd_Known(string currency, double amount, double expected)
    {
        Assert.Equal(Rejection.None, Normalizer.TryToUsd(Encoding.UTF8.GetBytes(currency), amount, out double usd));
        Assert.Equal(expected, usd);
    }

    [Theory]
    [InlineData("CHF")]
    [InlineData("EU")]
    [InlineData("EURO")]
    [InlineData("E R")]
    [InlineData("€")]
    [InlineData("123")]
    [InlineData("US$")]
    [InlineData("dollars")]
    [InlineData("EUR_CENTS")]
    [InlineData("cent")]
    public void TryToUsd_Unknown_IsUnknownCurrency(string currency)
    {
        Assert.Equal(Rejection.UnknownCurrency, Normalizer.TryToUsd(Encoding.UTF8.GetBytes(currency), 10, out double usd));
        Assert.Equal(0, usd);
    }

    [Fact]
    public void TryToUsd_DoesNotValidateTheAmount()
    {
        Assert.Equal(Rejection.None, Normalizer.TryToUsd("EUR"u8, double.NaN, out double nan));
        Assert.True(double.IsNaN(nan));
        Assert.Equal(Rejection.None, Normalizer.TryToUsd("EUR"u8, double.MaxValue, out double inf));
        Assert.Equal(double.PositiveInfinity, inf); // caught by PayloadRules.CheckCostAmount
        Assert.Equal(Rejection.None, Normalizer.TryToUsd("USD"u8, -1, out double negative));
        Assert.Equal(-1, negative);
    }

    [Fact]
    public void DefaultNormalizer_KnowsOnlyUsdAndCents()
    {
        var normalizer = new CurrencyNormalizer();
        Assert.Equal(0, normalizer.RateCount);
        Assert.Equal(Rejection.None, normalizer.TryToUsd("USD"u8, 1, out _));
        Assert.Equal(Rejection.None, normalizer.TryToUsd("cents"u8, 1, out _));
        Assert.Equal(Rejection.UnknownCurrency, normalizer.TryToUsd("EUR"u8, 1, out _));
    }

    [Fact]
    public void UsdEntryOfOne_IsAllowed() =>
        Assert.Equal(1, new CurrencyNormalizer(new Dictionary<string, double> { ["USD"] = 1 }).RateCount);

    [Theory]
    [InlineData("EU", 1.0)]
    [InlineData("EURO", 1.0)]
    [InlineData("E1R", 1.0)]
    [InlineData("ÉUR", 1.0)]
    [InlineData("EUR", 0.0)]
    [InlineData("EUR", -1.0)]
    [InlineData("EUR", double.NaN)]
    [InlineData("EUR", double.PositiveInfinity)]
    [InlineData("USD", 2.0)]
    public void Constructor_RejectsBadEntries(string code, double rate) =>
        Assert.Throws<ArgumentException>(() => new CurrencyNormalizer(new Dictionary<string, double> { [code] = rate }));

    [Fact]
    public void Constructor_RejectsCodesDifferingOnlyInCase() =>
        Assert.Throws<ArgumentException>(() => new CurrencyNormalizer(new Dictionary<string, double> { ["EUR"] = 1.1, ["eur"] = 1.2 }));
}
