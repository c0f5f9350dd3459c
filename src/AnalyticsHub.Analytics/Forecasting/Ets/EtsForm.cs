namespace AnalyticsHub.Analytics.Forecasting.Ets;

/// <summary>How the error enters an ETS model: added to the one-step forecast, or as a relative error.</summary>
public enum EtsError
{
    Additive,
    Multiplicative,
}

/// <summary>The trend component of an ETS model: none, additive (linear), or additive damped by φ.</summary>
public enum EtsTrend
{
    None,
    Additive,
    Damped,
}

/// <summary>The seasonal component of an ETS model.</summary>
public enum EtsSeason
{
    None,
    Additive,
    Multiplicative,
}

/// <summary>One member of the ETS family (Hyndman, Koehler, Ord &amp; Snyder, 2008), written ETS(error, trend,
/// season), e.g. ETS(M,Ad,M).</summary>
public readonly record struct EtsForm(EtsError Error, EtsTrend Trend, EtsSeason Season)
{
    /// <summary>The forms fitted by automatic selection. Additive error with multiplicative season is left out
    /// (numerically unstable, as in R's ets); multiplicative forms need strictly positive data.</summary>
    public static IReadOnlyList<EtsForm> Candidates(bool seasonal, bool positiveData)
    {
        var forms = new List<EtsForm>();
        EtsError[] errors = positiveData ? [EtsError.Additive, EtsError.Multiplicative] : [EtsError.Additive];
        EtsSeason[] seasons = !seasonal ? [EtsSeason.None]
            : positiveData ? [EtsSeason.None, EtsSeason.Additive, EtsSeason.Multiplicative]
            : [EtsSeason.None, EtsSeason.Additive];
        foreach (var error in errors)
        {
            foreach (var trend in (ReadOnlySpan<EtsTrend>)[EtsTrend.None, EtsTrend.Additive, EtsTrend.Damped])
            {
                foreach (var season in seasons)
                {
                    if (error == EtsError.Additive && season == EtsSeason.Multiplicative)
                    {
                        continue;
                    }
                    forms.Add(new EtsForm(error, trend, season));
                }
            }
        }
        return forms;
    }

    public bool HasTrend => Trend != EtsTrend.None;

    public bool HasSeason => Season != EtsSeason.None;

    /// <summary>Smoothing parameters estimated: α, then β, γ, φ where the form has them.</summary>
    public int SmoothingParameterCount => 1 + (HasTrend ? 1 : 0) + (HasSeason ? 1 : 0) + (Trend == EtsTrend.Damped ? 1 : 0);

    public override string ToString() =>
        $"ETS({Letter(Error == EtsError.Multiplicative)},{Trend switch { EtsTrend.None => "N", EtsTrend.Additive => "A", _ => "Ad" }},"
        + $"{(Season == EtsSeason.None ? "N" : Letter(Season == EtsSeason.Multiplicative))})";

    private static string Letter(bool multiplicative) => multiplicative ? "M" : "A";
}
