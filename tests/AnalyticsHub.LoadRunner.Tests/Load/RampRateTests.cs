using AnalyticsHub.LoadRunner.Load;
using AnalyticsHub.LoadRunner.Scenario;

namespace AnalyticsHub.LoadRunner.Tests.Load;

/// <summary><see cref="LoadRun.RampRate"/>: ramp-from in the warmup and the first measured second, rate in the last, linear between.</summary>
public class RampRateTests
{
    private static readonly LoadScenario Ramp = new() { RampFrom = 100_000, Rate = 1_400_000 };

    [Theory]
    [InlineData(-5, 100_000.0)]     // warmup
    [InlineData(-1, 100_000.0)]
    [InlineData(0, 100_000.0)]      // first measured second
    [InlineData(1, 122_033.898_305_084_7)] // 1.3M / 59 per second
    [InlineData(30, 761_016.949_152_542_4)]
    [InlineData(59, 1_400_000.0)]   // last measured second
    [InlineData(60, 1_400_000.0)]   // after the run (the drain): held at the end
    [InlineData(500, 1_400_000.0)]
    public void SixtySeconds_FromRampFromToRate(int steadyIndex, double expected)
    {
        Assert.Equal(expected, LoadRun.RampRate(Ramp, steadyIndex, 60), 3);
    }

    [Fact]
    public void TwoSeconds_FirstIsRampFrom_SecondIsRate()
    {
        Assert.Equal(100_000, LoadRun.RampRate(Ramp, 0, 2));
        Assert.Equal(1_400_000, LoadRun.RampRate(Ramp, 1, 2));
    }

    [Fact]
    public void OneSecond_IsTheRate_AfterAWarmupAtRampFrom()
    {
        Assert.Equal(100_000, LoadRun.RampRate(Ramp, -1, 1));
        Assert.Equal(1_400_000, LoadRun.RampRate(Ramp, 0, 1));
    }

    [Fact]
    public void DownwardRamp_IsLinearToo()
    {
        var down = new LoadScenario { RampFrom = 1000, Rate = 100 };
        Assert.Equal(1000, LoadRun.RampRate(down, 0, 11));
        Assert.Equal(550, LoadRun.RampRate(down, 5, 11), 9);
        Assert.Equal(100, LoadRun.RampRate(down, 10, 11));
    }
}
