namespace AnalyticsHub.Analytics.Forecasting;

/// <summary>How <see cref="ForecastEngine"/> turns candidates' validation errors into a forecast.</summary>
public enum CombinationRule
{
    /// <summary>Average the best few candidates with weights proportional to 1 / validation sMAPE.</summary>
    InverseErrorWeights,

    /// <summary>Forecast with the single candidate of lowest validation sMAPE.</summary>
    BestOnly,
}
