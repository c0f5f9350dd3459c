namespace AnalyticsHub.Analytics.Forecasting.Scenarios;

/// <summary>How an adjustment changes a forecast value.</summary>
public enum AdjustmentKind
{
    /// <summary>Adds <see cref="ScenarioAdjustment.Value"/> (e.g. +500 requests per hour).</summary>
    LevelShift,

    /// <summary>Multiplies by <see cref="ScenarioAdjustment.Value"/> (e.g. 2 for "traffic 2×", 0.8 for "price −20 %").</summary>
    Multiplier,
}

/// <summary>One what-if change: a level shift or a multiplier applied from forecast step <see cref="FromStep"/>
/// (0 = the first forecast step) to the end of the horizon.</summary>
public sealed record ScenarioAdjustment
{
    public ScenarioAdjustment(AdjustmentKind kind, double value, int fromStep = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromStep);
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "an adjustment must be a finite number");
        }
        Kind = kind;
        Value = value;
        FromStep = fromStep;
    }

    public AdjustmentKind Kind { get; }

    public double Value { get; }

    public int FromStep { get; }

    /// <summary>The adjusted value of <paramref name="value"/> at <paramref name="step"/>.</summary>
    public double ApplyAt(int step, double value) => step < FromStep
        ? value
        : Kind == AdjustmentKind.Multiplier ? value * Value : value + Value;
}
