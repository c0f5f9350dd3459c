using AnalyticsHub.Analytics.Forecasting.Arima;
using AnalyticsHub.Analytics.Forecasting.Decomposition;
using AnalyticsHub.Analytics.Forecasting.Ets;
using AnalyticsHub.Analytics.Forecasting.Learned;
using AnalyticsHub.Analytics.Forecasting.Preprocessing;
using AnalyticsHub.Analytics.Forecasting.Prophet;
using AnalyticsHub.Analytics.Forecasting.Theta;

namespace AnalyticsHub.Analytics.Forecasting;

/// <summary>The candidate models <see cref="ForecastEngine"/> validates and combines by default. Add a model with
/// one line; its <see cref="IForecastModel.Name"/> must be unique in the list.</summary>
public static class ForecastModelCatalog
{
    public static IReadOnlyList<IForecastModel> Candidates { get; } =
    [
        new SeasonalNaive(),
        new LongestSeasonNaive(),
        new AutoEts(),
        new ThetaModel(),
        new MstlModel("mstl-ets", new AutoEts(seasonal: false)),
        new MstlModel("mstl-theta", new ThetaModel()),
        new BoxCoxModel("bc-mstl-ets", new MstlModel("mstl-ets", new AutoEts(seasonal: false))),
        new AutoArima(),
        new GradientBoostedForecaster(),
        new ProphetModel(),
    ];
}
