namespace AnalyticsHub.Analytics.Forecasting.Prophet;

/// <summary>How the seasonal and event terms combine with the trend.</summary>
public enum SeasonalityMode
{
    /// <summary>y = trend + seasonality + events + ε.</summary>
    Additive,

    /// <summary>The additive model on log y, i.e. seasonality and events scale with the trend. Positive data only:
    /// a history with a value ≤ 0 is fitted additively.</summary>
    Multiplicative,

    /// <summary>Multiplicative when the history is positive and its spread grows with its level (Guerrero's Box–Cox
    /// λ at most <see cref="ProphetOptions.LogLambdaThreshold"/>), additive otherwise.</summary>
    Auto,
}
