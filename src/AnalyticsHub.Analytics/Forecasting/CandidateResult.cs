namespace AnalyticsHub.Analytics.Forecasting;

/// <summary>What the engine made of one candidate model: its validation error, its weight in the final forecast,
/// and its own forecast from the full history (null when not refit or when it could not fit).</summary>
public sealed record CandidateResult(string Name, double ValidationSmape, double Weight, ModelForecast? Forecast);
