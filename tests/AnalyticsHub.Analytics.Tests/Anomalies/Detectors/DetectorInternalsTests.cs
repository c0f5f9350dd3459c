using AnalyticsHub.Analytics.Anomalies.Detectors;
using AnalyticsHub.Analytics.Anomalies.Detectors.Internal;

namespace AnalyticsHub.Analytics.Tests.Anomalies.Detectors;

public class DetectorInternalsTests
{
    [Fact]
    public void SlidingQuantiles_MatchSortedWindow()
    {
        var window = new SlidingQuantiles(64);
        var random = new Random(5);
        var all = new List<double>();
        for (int i = 0; i < 1000; i++)
        {
            double v = Math.Round(random.NextDouble() * 20); // many ties
            window.Add(v);
            all.Add(v);
            var sorted = all.Skip(Math.Max(0, all.Count - 64)).Order().ToArray();
            foreach (double p in new[] { 0.0, 0.25, 0.5, 0.95, 1.0 })
            {
                Assert.Equal(sorted[(int)Math.Round(p * (sorted.Length - 1))], window.Quantile(p));
            }
        }
    }

    [Fact]
    public void SlidingSlope_MatchesLeastSquaresFit()
    {
        var slope = new SlidingSlope(10);
        var values = SyntheticSeries.TrendChange();
        for (int i = 0; i < 1600; i++)
        {
            slope.Add(values[i]);
            if (i >= 9)
            {
                Assert.Equal(LeastSquaresSlope(values.AsSpan(i - 9, 10)), slope.Slope, 9);
            }
        }
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(3.0, 0.257)]
    [InlineData(5.0, 0.625)]
    [InlineData(7.0, 1.0)]
    public void ScoreCalibration_FollowsGaussianTailDecades(double z, double expected) =>
        Assert.Equal(expected, ScoreCalibration.FromZ(z), 2);

    [Fact]
    public void PeriodDetection_FindsDailyCycleAndRejectsNoise()
    {
        var seasonal = SyntheticSeries.Seasonal(brokenCycle: false).AsSpan(0, 700);
        var noise = SyntheticSeries.Noise().AsSpan(0, 700);

        Assert.Equal(SyntheticSeries.PointsPerDay, PeriodDetection.Detect(seasonal, SyntheticSeries.Spacing, 4096));
        Assert.Equal(0, PeriodDetection.Detect(noise, SyntheticSeries.Spacing, 4096));
    }

    [Fact]
    public void PeriodDetection_PrefersTheWeek_WhenWeekdaysAndWeekendsDiffer()
    {
        // 700 half-hourly points hold two weeks and a bit. Weekdays repeat daily, but Saturday and Sunday do not: only
        // the week explains the whole buffer. Measured on the pairs that exist, the week's autocorrelation wins; measured
        // over all 700 points (the biased estimate), the week would count at half its strength and the day would win.
        var demand = SyntheticSeries.WeeklyDemand(weeks: 3, holiday: -1, seed: 1).AsSpan(0, 700);

        Assert.Equal(SyntheticSeries.HalfHoursPerWeek, PeriodDetection.Detect(demand, 1800, 4096));
        Assert.True(PeriodDetection.Autocorrelation(demand, SyntheticSeries.HalfHoursPerWeek) > 0.95);
    }

    [Fact]
    public void SeasonalResidualDetector_ReportsPeriodAfterWarmUp()
    {
        var detector = new SeasonalResidualDetector();
        SyntheticSeries.Scores(detector, SyntheticSeries.Seasonal(brokenCycle: false));

        Assert.Equal(SyntheticSeries.PointsPerDay, detector.Period);
    }

    [Fact]
    public void ContextMemory_CountsOccurrences()
    {
        var memory = new ContextMemory(16);

        Assert.Equal(0, memory.Observe(42));
        Assert.Equal(1, memory.Observe(42));
        Assert.Equal(2, memory.Observe(42));
        Assert.Equal(0, memory.Observe(43UL << 20));
        Assert.Equal(2, memory.Count);
    }

    [Fact]
    public void ContextMemory_KeepsWhatRecursAndForgetsTheRest()
    {
        const ulong Recurring = 0xABCDEF0123456789UL, Once = 0x1111111111111111UL;
        var memory = new ContextMemory(4);
        memory.Observe(Recurring);
        memory.Observe(Once);
        for (ulong i = 1; i <= 40; i++)
        {
            memory.Observe(i << 32); // new contexts: a generation is dropped every 4
            if (i % 3 == 0)
            {
                Assert.True(memory.Observe(Recurring) > 0, $"forgot the recurring context after {i}");
            }

            Assert.True(memory.Count <= memory.Capacity);
        }

        Assert.Equal(0, memory.Observe(Once));
    }

    private static double LeastSquaresSlope(ReadOnlySpan<double> y)
    {
        double n = y.Length, meanX = (n - 1) / 2, meanY = 0;
        foreach (double v in y)
        {
            meanY += v / n;
        }

        double num = 0, den = 0;
        for (int i = 0; i < y.Length; i++)
        {
            num += (i - meanX) * (y[i] - meanY);
            den += (i - meanX) * (i - meanX);
        }

        return num / den;
    }
}
