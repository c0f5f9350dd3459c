using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Normalization;

namespace AnalyticsHub.Core.Tests.Normalization;

public sealed class ClockSkewTests
{
    private const long Second = 1_000_000_000;
    private const long T = 1_750_000_000 * Second;

    private static readonly ClockSkew Skew = new(new Dictionary<SourceModule, TimeSpan>
    {
        [SourceModule.LlmObservatory] = TimeSpan.FromSeconds(2),
        [SourceModule.LlmSentinel] = TimeSpan.FromMilliseconds(-1_500),
    });

    [Theory]
    [InlineData(SourceModule.LlmObservatory, T, T + (2 * Second))]
    [InlineData(SourceModule.LlmSentinel, T, T - (1_500 * 1_000_000))]
    [InlineData(SourceModule.LlmCostOps, T, T)] // no offset configured
    [InlineData(SourceModule.Unspecified, T, T)]
    [InlineData((SourceModule)200, T, T)] // undefined module
    [InlineData(SourceModule.LlmObservatory, 0L, 0L)] // unset stays unset
    [InlineData(SourceModule.LlmObservatory, long.MaxValue, long.MaxValue)] // saturates
    [InlineData(SourceModule.LlmObservatory, long.MaxValue - Second, long.MaxValue)]
    [InlineData(SourceModule.LlmSentinel, long.MinValue, long.MinValue)]
    [InlineData(SourceModule.LlmSentinel, -1L, -1L - (1_500 * 1_000_000))]
    public void Apply(SourceModule module, long eventTime, long expected) =>
        Assert.Equal(expected, Skew.Apply(module, eventTime));

    [Fact]
    public void OffsetOf_ReturnsTheConfiguredOffset()
    {
        Assert.Equal(TimeSpan.FromSeconds(2), Skew.OffsetOf(SourceModule.LlmObservatory));
        Assert.Equal(TimeSpan.FromMilliseconds(-1_500), Skew.OffsetOf(SourceModule.LlmSentinel));
        Assert.Equal(TimeSpan.Zero, Skew.OffsetOf(SourceModule.LlmRegistry));
    }

    [Fact]
    public void None_ChangesNothing() =>
        Assert.Equal(T, ClockSkew.None.Apply(SourceModule.LlmObservatory, T));

    [Fact]
    public void HugeOffsets_Saturate()
    {
        var skew = new ClockSkew(new Dictionary<SourceModule, TimeSpan>
        {
            [SourceModule.LlmCostOps] = TimeSpan.MaxValue,
            [SourceModule.LlmGovernance] = TimeSpan.MinValue,
        });
        Assert.Equal(long.MaxValue, skew.Apply(SourceModule.LlmCostOps, 1));
        Assert.Equal(long.MinValue, skew.Apply(SourceModule.LlmGovernance, -1));
        // The offset itself saturates to long.MinValue ns; adding it to long.MaxValue is exact.
        Assert.Equal(-1, skew.Apply(SourceModule.LlmGovernance, long.MaxValue));
    }

    [Theory]
    [InlineData(1L, 2L, 3L)]
    [InlineData(long.MaxValue, 1L, long.MaxValue)]
    [InlineData(long.MinValue, -1L, long.MinValue)]
    [InlineData(long.MaxValue, long.MinValue, -1L)]
    [InlineData(long.MaxValue, long.MaxValue, long.MaxValue)]
    [InlineData(long.MinValue, long.MinValue, long.MinValue)]
    public void SaturatingAdd(long a, long b, long expected) =>
        Assert.Equal(expected, ClockSkew.SaturatingAdd(a, b));
}
