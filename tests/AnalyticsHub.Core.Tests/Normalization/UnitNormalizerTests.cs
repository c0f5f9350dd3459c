using System.Text;
using AnalyticsHub.Core.Normalization;

namespace AnalyticsHub.Core.Tests.Normalization;

public sealed class UnitNormalizerTests
{
    [Theory]
    // durations → ms
    [InlineData("ns", 1_500, 0.0015, "ms")]
    [InlineData("nanosecond", 1e6, 1, "ms")]
    [InlineData("nanoseconds", 2e6, 2, "ms")]
    [InlineData("us", 1_500, 1.5, "ms")]
    [InlineData("µs", 1_500, 1.5, "ms")] // U+00B5
    [InlineData("μs", 1_500, 1.5, "ms")] // U+03BC
    [InlineData("microsecond", 1_000, 1, "ms")]
    [InlineData("microseconds", 250, 0.25, "ms")]
    [InlineData("ms", 42, 42, "ms")]
    [InlineData("millisecond", 1, 1, "ms")]
    [InlineData("milliseconds", 7.5, 7.5, "ms")]
    [InlineData("s", 1.5, 1_500, "ms")]
    [InlineData("sec", 2, 2_000, "ms")]
    [InlineData("second", 1, 1_000, "ms")]
    [InlineData("seconds", 0.25, 250, "ms")]
    [InlineData("min", 2, 120_000, "ms")]
    [InlineData("minute", 1, 60_000, "ms")]
    [InlineData("minutes", 0.5, 30_000, "ms")]
    [InlineData("h", 1, 3_600_000, "ms")]
    [InlineData("hour", 2, 7_200_000, "ms")]
    [InlineData("hours", 0.5, 1_800_000, "ms")]
    // sizes → bytes
    [InlineData("b", 512, 512, "bytes")]
    [InlineData("byte", 1, 1, "bytes")]
    [InlineData("bytes", 3, 3, "bytes")]
    [InlineData("kb", 2, 2_000, "bytes")]
    [InlineData("KB", 2, 2_000, "bytes")]
    [InlineData("mb", 1.5, 1_500_000, "bytes")]
    [InlineData("gb", 2, 2e9, "bytes")]
    [InlineData("tb", 1, 1e12, "bytes")]
    [InlineData("kib", 2, 2_048, "bytes")]
    [InlineData("KiB", 1, 1_024, "bytes")]
    [InlineData("mib", 1, 1_048_576, "bytes")]
    [InlineData("gib", 1, 1_073_741_824, "bytes")]
    [InlineData("tib", 1, 1_099_511_627_776, "bytes")]
    // rates → per second
    [InlineData("per_second", 5, 5, "per_second")]
    [InlineData("/s", 5, 5, "per_second")]
    [InlineData("per_minute", 120, 2, "per_second")]
    [InlineData("/min", 30, 0.5, "per_second")]
    [InlineData("rpm", 600, 10, "per_second")]
    [InlineData("per_hour", 7_200, 2, "per_second")]
    [InlineData("/h", 3_600, 1, "per_second")]
    // case and surrounding whitespace do not matter
    [InlineData("MS", 1, 1, "ms")]
    [InlineData("Seconds", 1, 1_000, "ms")]
    [InlineData("MiB", 1, 1_048_576, "bytes")]
    [InlineData("Mb", 1, 1_000_000, "bytes")] // megabytes: case is not significant
    [InlineData("B", 1, 1, "bytes")]
    [InlineData("Per_Minute", 60, 1, "per_second")]
    [InlineData("RPM", 60, 1, "per_second")]
    [InlineData(" ms ", 1, 1, "ms")]
    [InlineData("\tkb\r\n", 1, 1_000, "bytes")]
    [InlineData("µS", 1_000, 1, "ms")]
    public void TryNormalize_KnownUnit(string unit, double value, double expected, string canonical)
    {
        Assert.True(UnitNormalizer.TryNormalize(Encoding.UTF8.GetBytes(unit), value, out double normalized, out var canonicalUnit));
        Assert.Equal(expected, normalized);
        Assert.Equal(canonical, Encoding.UTF8.GetString(canonicalUnit));
    }

    [Theory]
    [InlineData("tokens")]
    [InlineData("percent")]
    [InlineData("ratio")]
    [InlineData("m")] // metres or minutes: ambiguous, left alone
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("mss")]
    [InlineData("kbps")]
    [InlineData("µ")]
    [InlineData("Μs")] // U+039C GREEK CAPITAL MU: only the two small forms are micro
    [InlineData(" tokens ")]
    public void TryNormalize_UnknownUnit_KeepsValueAndUnit(string unit)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(unit);
        Assert.False(UnitNormalizer.TryNormalize(bytes, 12.5, out double normalized, out var canonicalUnit));
        Assert.Equal(12.5, normalized);
        Assert.True(canonicalUnit.SequenceEqual(bytes));
        Assert.Equal(UnitDimension.None, UnitNormalizer.DimensionOf(bytes));
    }

    [Theory]
    [InlineData("ns", UnitDimension.Duration)]
    [InlineData("hours", UnitDimension.Duration)]
    [InlineData("GiB", UnitDimension.Size)]
    [InlineData("rpm", UnitDimension.Rate)]
    [InlineData("percent", UnitDimension.None)]
    public void DimensionOf(string unit, UnitDimension expected) =>
        Assert.Equal(expected, UnitNormalizer.DimensionOf(Encoding.UTF8.GetBytes(unit)));

    [Fact]
    public void TryNormalize_Overflow_GivesInfinity_NaNStaysNaN()
    {
        Assert.True(UnitNormalizer.TryNormalize("tib"u8, double.MaxValue, out double big, out _));
        Assert.Equal(double.PositiveInfinity, big);
        Assert.True(UnitNormalizer.TryNormalize("h"u8, -double.MaxValue, out double small, out _));
        Assert.Equal(double.NegativeInfinity, small);
        Assert.True(UnitNormalizer.TryNormalize("s"u8, double.NaN, out double nan, out _));
        Assert.True(double.IsNaN(nan));
        Assert.True(UnitNormalizer.TryNormalize("ns"u8, double.Epsilon, out double tiny, out _));
        Assert.Equal(0, tiny); // underflow to zero, not an error
    }

    [Fact]
    public void CanonicalUnits_AreThemselvesInTheTable()
    {
        Assert.True(UnitNormalizer.TryNormalize(UnitNormalizer.Milliseconds, 1, out _, out _));
        Assert.True(UnitNormalizer.TryNormalize(UnitNormalizer.Bytes, 1, out _, out _));
        Assert.True(UnitNormalizer.TryNormalize(UnitNormalizer.PerSecond, 1, out _, out _));
    }
}
