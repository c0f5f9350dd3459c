using AnalyticsHub.Analytics.Forecasting.Accuracy;

namespace AnalyticsHub.Analytics.Tests.Forecasting;

public sealed class ForecastAccuracyTests
{
    [Fact]
    public void Smape_IsTwoHundredOverHTimesTheSumOfRelativeAbsoluteErrors()
    {
        // (200/2)(10/210 + 20/380) = 10.025062…
        Assert.Equal(100 * (10.0 / 210 + 20.0 / 380), ForecastAccuracy.Smape([100, 200], [110, 180]), 12);
    }

    [Fact]
    public void Smape_CountsAStepWhereActualAndForecastAreZeroAsZero()
    {
        Assert.Equal(100, ForecastAccuracy.Smape([0, 1], [0, 0]), 12);
    }

    [Fact]
    public void Mase_ScalesByTheInSampleSeasonalDifferences()
    {
        // In-sample 1…6 at lag 2: every |x_t − x_{t−2}| = 2. Forecast errors 10 and 20: MAE 15 → MASE 7.5.
        Assert.Equal(7.5, ForecastAccuracy.Mase([1, 2, 3, 4, 5, 6], [100, 200], [110, 180], 2), 12);
    }

    [Fact]
    public void Coverage_CountsActualsInsideTheClosedInterval()
    {
        Assert.Equal(0.5, ForecastAccuracy.Coverage([1, 2, 3, 4], [1, 0, 4, 0], [2, 1, 5, 4]), 12);
    }

    [Fact]
    public void Msis_AddsTwoOverAlphaTimesEachMiss()
    {
        // a = 0.05: widths 2 and 2, one miss of 1 below → (2 + 2 + 40·1)/2 = 22, over scale 2 → 11.
        Assert.Equal(11, ForecastAccuracy.Msis([1, 2, 3, 4, 5, 6], [5, 0], [4, 1], [6, 3], 2, 0.95), 12);
    }
}
