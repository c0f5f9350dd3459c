using AnalyticsHub.Cli;
using AnalyticsHub.Cli.Forecasting;

namespace AnalyticsHub.Analytics.Tests.Cli;

public sealed class SeriesFileTests
{
    [Fact]
    public void Read_SkipsTheM4Header_UnquotesCells_AndIgnoresEmptyCells()
    {
        var path = System.IO.Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "\"V1\",\"V2\",\"V3\",\"V4\"\n\"H1\",\"1.5\",\"2\",\"\"\n\"H2\",\"3\",\"4\",\"5e1\"\n");
            var series = SeriesFile.Read(path);
            Assert.Equal(["H1", "H2"], series.Select(s => s.Id));
            Assert.Equal([1.5, 2], series[0].Values);
            Assert.Equal([3, 4, 50], series[1].Values);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("hourly", new[] { 24, 168 })]
    [InlineData("Daily", new[] { 7 })]
    [InlineData("monthly", new[] { 12 })]
    [InlineData("quarterly", new[] { 4 })]
    [InlineData("yearly", new int[0])]
    [InlineData("weekly", new int[0])]
    [InlineData("52", new[] { 52 })]
    [InlineData("1", new int[0])]
    public void Frequency_MapsToSeasonalPeriods(string frequency, int[] periods)
    {
        Assert.Equal(periods, Frequency.SeasonalPeriods(frequency));
    }

    [Fact]
    public void Frequency_Unknown_IsAnInputError()
    {
        Assert.Throws<InputException>(() => Frequency.SeasonalPeriods("-3"));
    }
}
