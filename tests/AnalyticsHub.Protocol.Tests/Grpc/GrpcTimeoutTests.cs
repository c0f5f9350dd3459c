using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Protocol.Tests.Grpc;

public class GrpcTimeoutTests
{
    public static TheoryData<string, long> ValidTimeouts()
    {
        var data = new TheoryData<string, long>();
        (char Unit, Func<long, long> Ticks)[] units =
        [
            ('H', v => v * TimeSpan.TicksPerHour),
            ('M', v => v * TimeSpan.TicksPerMinute),
            ('S', v => v * TimeSpan.TicksPerSecond),
            ('m', v => v * TimeSpan.TicksPerMillisecond),
            ('u', v => v * TimeSpan.TicksPerMicrosecond),
            ('n', v => (v + 99) / 100), // 100 ns per tick, rounded up
        ];
        foreach (var (unit, ticks) in units)
        {
            for (var digits = 1; digits <= 8; digits++)
            {
                // 1, 12, 123, ... 12345678
                var text = string.Concat(Enumerable.Range(1, digits).Select(d => (char)('0' + d)));
                data.Add(text + unit, ticks(long.Parse(text, System.Globalization.CultureInfo.InvariantCulture)));
            }

            data.Add("0" + unit, 0);
            data.Add("99999999" + unit, ticks(99_999_999));
            data.Add("00000001" + unit, ticks(1));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ValidTimeouts))]
    public void TryParse_ValidValue_ReturnsTimeout(string text, long expectedTicks)
    {
        Assert.True(GrpcTimeout.TryParse(text, out var timeout));
        Assert.Equal(expectedTicks, timeout.Ticks);
    }

    [Theory]
    [InlineData("1n", 1)]
    [InlineData("100n", 1)]
    [InlineData("101n", 2)]
    [InlineData("199n", 2)]
    [InlineData("1u", 10)]
    [InlineData("1m", 10_000)]
    [InlineData("1S", 10_000_000)]
    [InlineData("2M", 1_200_000_000)]
    [InlineData("1H", 36_000_000_000)]
    public void TryParse_Nanoseconds_RoundUpToWholeTicks(string text, long expectedTicks)
    {
        Assert.True(GrpcTimeout.TryParse(text, out var timeout));
        Assert.Equal(expectedTicks, timeout.Ticks);
    }

    [Theory]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("1")]
    [InlineData("10")]
    [InlineData("123456789S")] // 9 digits
    [InlineData("000000001S")] // 9 digits, even with leading zeros
    [InlineData("10x")]
    [InlineData("10s")] // units are case-sensitive: s is not S
    [InlineData("10h")]
    [InlineData("10N")]
    [InlineData("10U")]
    [InlineData("-1S")]
    [InlineData("+1S")]
    [InlineData(" 1S")]
    [InlineData("1S ")]
    [InlineData("1 S")]
    [InlineData("1.5S")]
    [InlineData("1e3m")]
    [InlineData("0x10S")]
    [InlineData("\u0661S")] // ARABIC-INDIC DIGIT ONE
    [InlineData("\uFF11S")] // FULLWIDTH DIGIT ONE
    [InlineData("1\u00B5")] // MICRO SIGN is not u
    [InlineData("SS")]
    public void TryParse_InvalidValue_ReturnsFalse(string text)
    {
        Assert.False(GrpcTimeout.TryParse(text, out _));
    }

    [Theory]
    [InlineData(0, "0n")]
    [InlineData(1, "100n")]
    [InlineData(999_999, "99999900n")]
    [InlineData(1_000_000, "100000u")]
    [InlineData(1_000_001, "100001u")] // 100,000.1 µs rounds up
    [InlineData(10_000_000, "1000000u")]
    [InlineData(999_999_990, "99999999u")]
    [InlineData(999_999_991, "100000m")] // past 8 digits of µs: milliseconds, rounded up
    public void Format_UsesFinestUnitWithinEightDigits(long ticks, string expected)
    {
        Assert.Equal(expected, GrpcTimeout.Format(TimeSpan.FromTicks(ticks)));
    }

    [Fact]
    public void Format_Negative_IsZero()
    {
        Assert.Equal("0n", GrpcTimeout.Format(TimeSpan.FromSeconds(-5)));
    }

    public static TheoryData<long> RoundTripTicks =>
    [
        0, 1, 2, 99, 12_345, 999_999, 1_000_000, 1_000_001, 123_456_789, 999_999_991,
        TimeSpan.TicksPerSecond * 86_400 * 3 + 7,
        TimeSpan.TicksPerDay * 365 * 50 + 1,
        TimeSpan.TicksPerDay * 365 * 9000,
    ];

    [Theory]
    [MemberData(nameof(RoundTripTicks))]
    public void Format_ThenParse_NeverShortensAndRoundsUpByLessThanOneUnit(long ticks)
    {
        var original = TimeSpan.FromTicks(ticks);
        var text = GrpcTimeout.Format(original);

        Assert.InRange(text.Length, 2, 9);
        Assert.True(GrpcTimeout.TryParse(text, out var parsed), text);
        Assert.True(parsed >= original, $"{text} parsed to {parsed.Ticks} ticks, shorter than {ticks}");
        Assert.True(parsed - original < UnitOf(text[^1]), $"{text} rounds {ticks} ticks up by a whole unit or more");
    }

    [Fact]
    public void Format_RandomValues_RoundTripWithinOneUnit()
    {
        var random = new Random(17);
        for (var i = 0; i < 10_000; i++)
        {
            var ticks = random.NextInt64(0, TimeSpan.TicksPerDay * 365 * 100) >> random.Next(0, 40);
            var text = GrpcTimeout.Format(TimeSpan.FromTicks(ticks));
            Assert.True(GrpcTimeout.TryParse(text, out var parsed), text);
            Assert.InRange(parsed.Ticks - ticks, 0, UnitOf(text[^1]).Ticks - 1);
        }
    }

    /// <summary>
    /// Regression: rounding up as <c>(ticks + perUnit - 1) / perUnit</c> overflowed near long.MaxValue
    /// and formatted TimeSpan.MaxValue as "-922337203685477580u".
    /// </summary>
    [Fact]
    public void Format_MaxValue_ClampsToLargestHours()
    {
        Assert.Equal("99999999H", GrpcTimeout.Format(TimeSpan.MaxValue));
    }

    private static TimeSpan UnitOf(char unit) => unit switch
    {
        'n' => TimeSpan.FromTicks(1), // 100 ns resolution of TimeSpan
        'u' => TimeSpan.FromTicks(TimeSpan.TicksPerMicrosecond),
        'm' => TimeSpan.FromMilliseconds(1),
        'S' => TimeSpan.FromSeconds(1),
        'M' => TimeSpan.FromMinutes(1),
        'H' => TimeSpan.FromHours(1),
        _ => throw new ArgumentOutOfRangeException(nameof(unit)),
    };
}
