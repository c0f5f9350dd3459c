namespace AnalyticsHub.Analytics.Forecasting.Arima;

/// <summary>Hyndman &amp; Khandakar's (2008) stepwise search over p, q, P, Q for fixed d and D: fit four starting
/// forms, then move to the first neighbour (one or two orders ±1, or the constant toggled) with a lower AICc until
/// none improves or the model budget is spent. Forms are compared by CSS over a common window.</summary>
internal sealed class StepwiseOrderSearch
{
    private readonly double[] _differenced;
    private readonly ArimaSearchLimits _limits;
    private readonly int _period;
    private readonly bool _seasonal;
    private readonly int _scoreStart;
    private readonly Dictionary<ArimaOrder, ArimaFit?> _fitted = [];

    public StepwiseOrderSearch(double[] differenced, int d, int seasonalD, int period, ArimaSearchLimits limits)
    {
        _differenced = differenced;
        _limits = limits;
        _seasonal = period > 1;
        _period = _seasonal ? period : 1;
        D = d;
        SeasonalD = seasonalD;
        AllowConstant = d + seasonalD <= 1;
        _scoreStart = limits.MaxP + (_seasonal ? _period * limits.MaxSeasonalP : 0);
    }

    public int D { get; }

    public int SeasonalD { get; }

    public bool AllowConstant { get; }

    /// <summary>Forms fitted so far.</summary>
    public int Fitted => _fitted.Count;

    /// <summary>The form with the lowest AICc, or null when nothing could be fitted.</summary>
    public ArimaFit? Run()
    {
        ArimaFit? best = null;
        var seasonalStart = _seasonal ? 1 : 0;
        Consider(Order(2, 2, seasonalStart, seasonalStart, AllowConstant), ref best);
        Consider(Order(0, 0, 0, 0, AllowConstant), ref best);
        Consider(Order(1, 0, seasonalStart, 0, AllowConstant), ref best);
        Consider(Order(0, 1, 0, seasonalStart, AllowConstant), ref best);
        if (AllowConstant)
        {
            Consider(Order(0, 0, 0, 0, false), ref best);
        }
        while (best is not null && _fitted.Count < _limits.MaxModels)
        {
            var current = best.Order;
            var moved = false;
            foreach (var neighbour in Neighbours(current))
            {
                if (_fitted.Count >= _limits.MaxModels)
                {
                    break;
                }
                if (Consider(neighbour, ref best))
                {
                    moved = true;
                    break;
                }
            }
            if (!moved)
            {
                break;
            }
        }
        return best;
    }

    private IEnumerable<ArimaOrder> Neighbours(ArimaOrder o)
    {
        int[] steps = [-1, 1];
        if (_seasonal)
        {
            foreach (var s in steps)
            {
                yield return o with { SeasonalP = o.SeasonalP + s };
                yield return o with { SeasonalQ = o.SeasonalQ + s };
            }
            foreach (var s in steps)
            {
                foreach (var t in steps)
                {
                    yield return o with { SeasonalP = o.SeasonalP + s, SeasonalQ = o.SeasonalQ + t };
                }
            }
        }
        foreach (var s in steps)
        {
            yield return o with { P = o.P + s };
            yield return o with { Q = o.Q + s };
        }
        foreach (var s in steps)
        {
            foreach (var t in steps)
            {
                yield return o with { P = o.P + s, Q = o.Q + t };
            }
        }
        if (AllowConstant)
        {
            yield return o with { Constant = !o.Constant };
        }
    }

    /// <summary>Fits <paramref name="order"/> unless out of bounds or already fitted; true when it beats
    /// <paramref name="best"/>.</summary>
    private bool Consider(ArimaOrder order, ref ArimaFit? best)
    {
        if (order.P < 0 || order.Q < 0 || order.SeasonalP < 0 || order.SeasonalQ < 0
            || order.P > _limits.MaxP || order.Q > _limits.MaxQ
            || order.SeasonalP > _limits.MaxSeasonalP || order.SeasonalQ > _limits.MaxSeasonalQ
            || _fitted.ContainsKey(order))
        {
            return false;
        }
        var fit = ArimaFitter.FitConditional(order, _differenced, _scoreStart);
        _fitted[order] = fit;
        if (fit is null || !double.IsFinite(fit.Aicc) || (best is not null && fit.Aicc >= best.Aicc))
        {
            return false;
        }
        best = fit;
        return true;
    }

    private ArimaOrder Order(int p, int q, int seasonalP, int seasonalQ, bool constant) =>
        new(p, D, q, seasonalP, SeasonalD, seasonalQ, _period, constant);
}
