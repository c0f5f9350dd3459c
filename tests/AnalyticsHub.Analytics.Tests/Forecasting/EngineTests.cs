using AnalyticsHub.Analytics.Forecasting;
using AnalyticsHub.Analytics.Forecasting.Engine;

namespace AnalyticsHub.Analytics.Tests.Forecasting;

public sealed class EngineTests
{
    [Fact]
    public void InverseErrorWeights_AreProportionalToOneOverError_AmongTheBest()
    {
        // 1/10, 1/20, 1/5 normalised by 0.35; NaN (failed validation) gets 0.
        var weights = EnsembleWeights.FromErrors([10, 20, double.NaN, 5], CombinationRule.InverseErrorWeights, maxMembers: 3);
        Assert.Equal(0.1 / 0.35, weights[0], 12);
        Assert.Equal(0.05 / 0.35, weights[1], 12);
        Assert.Equal(0, weights[2]);
        Assert.Equal(0.2 / 0.35, weights[3], 12);
    }

    [Fact]
    public void InverseErrorWeights_KeepOnlyMaxMembers()
    {
        var weights = EnsembleWeights.FromErrors([10, 20, 5], CombinationRule.InverseErrorWeights, maxMembers: 2);
        Assert.Equal([1.0 / 3, 0, 2.0 / 3], weights.Select(w => Math.Round(w, 12)).ToArray(), (a, b) => Math.Abs(a - b) < 1e-9);
    }

    [Fact]
    public void BestOnly_PutsAllWeightOnTheLowestError()
    {
        Assert.Equal([0, 0, 1.0], EnsembleWeights.FromErrors([10, 20, 5], CombinationRule.BestOnly, 3));
    }

    [Fact]
    public void Calibration_TakesTheConformalRankOfTheScores_AndOnlyWidens()
    {
        // 19 scores 0.1 … 1.9: rank ⌈20 · 0.95⌉ = 19 → 1.9. Scores all below 1 leave the interval as it is.
        var scores = Enumerable.Range(1, 19).Select(i => i / 10.0).ToList();
        Assert.Equal(1.9, IntervalCalibration.Scale(scores, 0.95), 12);
        Assert.Equal(1, IntervalCalibration.Scale([0.2, 0.3], 0.95));
    }

    [Fact]
    public void Engine_WeightsTheModelThatValidatesBetter_AndCombinesPointsByWeight()
    {
        // y = t: drift extrapolates exactly (sMAPE 0 → floored), the last-value model does not.
        var y = Enumerable.Range(0, 40).Select(t => (double)t).ToArray();
        var engine = new ForecastEngine([new LastValue(), new Drift()], new ForecastEngineOptions());
        var forecast = engine.Forecast(y, new ForecastSpec(4, []));
        Assert.True(forecast.Candidates[1].Weight > 0.999);
        Assert.Equal(0, forecast.Candidates[1].ValidationSmape, 12);
        Assert.Equal(40, forecast.Point[0], 3);
        Assert.Equal(1, forecast.Candidates.Sum(c => c.Weight), 12);
        Assert.StartsWith("1.00 drift", forecast.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Engine_BestOnly_ForecastsWithOneModel()
    {
        var y = Enumerable.Range(0, 40).Select(t => (double)t).ToArray();
        var engine = new ForecastEngine([new LastValue(), new Drift()], new ForecastEngineOptions { Rule = CombinationRule.BestOnly });
        var forecast = engine.Forecast(y, new ForecastSpec(4, []));
        Assert.Equal([40, 41, 42, 43], forecast.Point);
        Assert.Equal(0, forecast.Candidates[0].Weight);
    }

    [Fact]
    public void Engine_InterpolatesMissingValues()
    {
        // 0 … 39 with 20 missing: interpolated back to 20, so the history's mean is 19.5 (a NaN would leak through).
        var y = Enumerable.Range(0, 40).Select(t => t == 20 ? double.NaN : t).ToArray();
        var forecast = new ForecastEngine([new Mean()], new ForecastEngineOptions()).Forecast(y, new ForecastSpec(2, []));
        Assert.Equal(19.5, forecast.Point[0], 9);
    }

    [Fact]
    public void Engine_RejectsATooShortHistory()
    {
        Assert.Throws<ArgumentException>(() => new ForecastEngine().Forecast([1, 2, 3], new ForecastSpec(2, [24])));
    }

    /// <summary>Repeats the last value; interval ±1.</summary>
    private sealed class LastValue : IForecastModel
    {
        public string Name => "last";

        public ModelForecast? Fit(ReadOnlySpan<double> history, ForecastSpec spec)
        {
            var point = Enumerable.Repeat(history[^1], spec.Horizon).ToArray();
            return new ModelForecast(Name, point, [.. point.Select(p => p - 1)], [.. point.Select(p => p + 1)]);
        }
    }

    /// <summary>Forecasts the history's mean; interval ±1.</summary>
    private sealed class Mean : IForecastModel
    {
        public string Name => "mean";

        public ModelForecast? Fit(ReadOnlySpan<double> history, ForecastSpec spec)
        {
            var mean = history.ToArray().Average();
            var point = Enumerable.Repeat(mean, spec.Horizon).ToArray();
            return new ModelForecast(Name, point, [.. point.Select(p => p - 1)], [.. point.Select(p => p + 1)]);
        }
    }

    /// <summary>Extends the line through the first and last values; interval ±1.</summary>
    private sealed class Drift : IForecastModel
    {
        public string Name => "drift";

        public ModelForecast? Fit(ReadOnlySpan<double> history, ForecastSpec spec)
        {
            var slope = (history[^1] - history[0]) / (history.Length - 1);
            var last = history[^1];
            var point = Enumerable.Range(1, spec.Horizon).Select(h => last + slope * h).ToArray();
            return new ModelForecast(Name, point, [.. point.Select(p => p - 1)], [.. point.Select(p => p + 1)]);
        }
    }
}
