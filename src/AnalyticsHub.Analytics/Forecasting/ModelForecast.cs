namespace AnalyticsHub.Analytics.Forecasting;

/// <summary>One model's forecast: point forecasts and the interval bounds for <see cref="ForecastSpec.Level"/>,
/// each <see cref="ForecastSpec.Horizon"/> long, plus what selection and ensembling need.</summary>
public sealed class ModelForecast
{
    public ModelForecast(string model, double[] point, double[] lower, double[] upper)
    {
        if (point.Length != lower.Length || point.Length != upper.Length)
        {
            throw new ArgumentException("point, lower and upper must have the same length");
        }
        Model = model;
        Point = point;
        Lower = lower;
        Upper = upper;
    }

    /// <summary>The model's name with its chosen form, e.g. "ETS(M,Ad,M)" or "ARIMA(1,1,1)(0,1,1)[24]".</summary>
    public string Model { get; }

    public double[] Point { get; }

    public double[] Lower { get; }

    public double[] Upper { get; }

    /// <summary>AICc of the fit where the model has a likelihood (NaN otherwise); compares forms within a family.</summary>
    public double Aicc { get; init; } = double.NaN;

    /// <summary>One-step in-sample residuals (actual − fitted) where the model has them; may be empty.</summary>
    public double[] Residuals { get; init; } = [];
}
