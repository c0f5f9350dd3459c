using AnalyticsHub.Core.Validation;

namespace AnalyticsHub.Core.Tests.Validation;

public sealed class TimestampRuleTests
{
    private const long Second = 1_000_000_000;
    private const long Hour = 3_600 * Second;
    private const long Day = 24 * Hour;
    private const long Now = 1_750_000_000 * Second; // mid-2025

    private static readonly TimestampRule Default = new();

    [Theory]
    [InlineData(Now, Rejection.None)]
    [InlineData(Now - 1, Rejection.None)]
    [InlineData(Now - (7 * Day), Rejection.None)] // exactly at the age bound
    [InlineData(Now - (7 * Day) - 1, Rejection.TimestampOutOfRange)]
    [InlineData(Now + Hour, Rejection.None)] // exactly at the skew bound
    [InlineData(Now + Hour + 1, Rejection.TimestampOutOfRange)]
    [InlineData(0L, Rejection.MissingField)]
    [InlineData(-1L, Rejection.TimestampOutOfRange)]
    [InlineData(long.MinValue, Rejection.TimestampOutOfRange)]
    [InlineData(long.MaxValue, Rejection.TimestampOutOfRange)]
    public void Check_DefaultWindow(long eventTime, Rejection expected) =>
        Assert.Equal(expected, Default.Check(eventTime, Now));

    [Fact]
    public void Defaults_AreSevenDaysAndOneHour()
    {
        Assert.Equal(TimeSpan.FromDays(7), Default.MaxAge);
        Assert.Equal(TimeSpan.FromHours(1), Default.MaxFutureSkew);
    }

    [Fact]
    public void Check_CustomWindow()
    {
        var rule = new TimestampRule(TimeSpan.FromMinutes(5), TimeSpan.Zero);
        Assert.Equal(Rejection.None, rule.Check(Now - (300 * Second), Now));
        Assert.Equal(Rejection.TimestampOutOfRange, rule.Check(Now - (300 * Second) - 1, Now));
        Assert.Equal(Rejection.None, rule.Check(Now, Now));
        Assert.Equal(Rejection.TimestampOutOfRange, rule.Check(Now + 1, Now));
    }

    [Theory]
    [InlineData(long.MinValue, long.MaxValue)]
    [InlineData(long.MaxValue, long.MinValue)]
    [InlineData(long.MaxValue, long.MaxValue)]
    [InlineData(-5L, long.MaxValue)]
    [InlineData(5L, long.MinValue)]
    public void Check_ExtremeValues_DoNotOverflow(long eventTime, long now)
    {
        // With an unbounded window, any pair is in range: a wrapped subtraction would reject one.
        var unbounded = new TimestampRule(TimeSpan.MaxValue, TimeSpan.MaxValue);
        Assert.Equal(Rejection.None, unbounded.Check(eventTime, now));
        var narrow = new TimestampRule(TimeSpan.FromTicks(1), TimeSpan.FromTicks(1));
        Assert.Equal(
            eventTime == now ? Rejection.None : Rejection.TimestampOutOfRange,
            narrow.Check(eventTime, now));
    }

    [Fact]
    public void Constructor_NegativeBounds_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TimestampRule(TimeSpan.FromSeconds(-1), TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TimestampRule(TimeSpan.Zero, TimeSpan.FromSeconds(-1)));
    }
}
