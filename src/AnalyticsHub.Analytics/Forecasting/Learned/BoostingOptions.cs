namespace AnalyticsHub.Analytics.Forecasting.Learned;

/// <summary>Hyperparameters of the gradient-boosted trees (<see cref="GradientBoosting"/>) and of the forecaster
/// that trains them per series (<see cref="GradientBoostedForecaster"/>).</summary>
public sealed record BoostingOptions
{
    /// <summary>Most trees grown; early stopping usually ends sooner.</summary>
    public int MaxTrees { get; init; } = 300;

    /// <summary>Depth of every tree (a tree of depth d has at most 2^d leaves).</summary>
    public int Depth { get; init; } = 5;

    /// <summary>Shrinkage: each tree's leaf values are multiplied by this before they are added.</summary>
    public double LearningRate { get; init; } = 0.08;

    /// <summary>Fraction of the training rows, drawn without replacement, that each tree is grown on.</summary>
    public double RowSubsample { get; init; } = 0.7;

    /// <summary>Fewest rows a leaf may hold.</summary>
    public int MinLeafRows { get; init; } = 4;

    /// <summary>L2 penalty on leaf values (λ in leaf = Σg / (n + λ)).</summary>
    public double LeafPenalty { get; init; } = 1.0;

    /// <summary>Most histogram bins per feature (at most 256: bins are stored as bytes).</summary>
    public int MaxBins { get; init; } = 64;

    /// <summary>Stop when this many trees in a row have not improved the validation loss.</summary>
    public int EarlyStoppingRounds { get; init; } = 25;

    /// <summary>Points at the end of the history held out, in time order, for early stopping and for the
    /// multi-step residuals the interval is built from; at least the horizon.</summary>
    public int ValidationLength { get; init; } = 96;

    /// <summary>Fewest training rows (before the validation tail) a series must give, else the model does not fit.</summary>
    public int MinTrainingRows { get; init; } = 96;

    /// <summary>After early stopping, retrain on every row (validation tail included) with the chosen number of
    /// trees, so the most recent behaviour is learned too.</summary>
    public bool RefitOnAllRows { get; init; } = true;

    /// <summary>Seed of the row subsampling: the same seed and history give the same forecast.</summary>
    public int Seed { get; init; } = 17;
}
