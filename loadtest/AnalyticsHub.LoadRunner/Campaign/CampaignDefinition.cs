using AnalyticsHub.LoadRunner.Scenario;

namespace AnalyticsHub.LoadRunner.Campaign;

/// <summary>A campaign after parsing: stages run one after another against one hub.</summary>
/// <param name="File">The campaign file as given.</param>
/// <param name="MetricsUrl">The hub's <c>/metrics</c>, scraped around every stage; null: not scraped.</param>
/// <param name="ReportDirectory">Where campaign.{md,json,html} and each stage's reports go; null: none written.</param>
public sealed record CampaignDefinition(
    string Name,
    string Description,
    string File,
    IReadOnlyList<CampaignStage> Stages,
    string? MetricsUrl,
    string? ReportDirectory,
    bool Plain);

/// <summary>
/// One stage: an ingestion (or query) run, and for a mixed stage a query run beside it with the
/// same warmup and duration. <see cref="Settle"/> is a pause before the stage (not before the
/// first) so the hub can drain what the previous stage left.
/// </summary>
public sealed record CampaignStage(string Name, string Description, LoadScenario Load, LoadScenario? Query, TimeSpan Settle)
{
    /// <summary>What the stage does, in a few words: "ramp 50,000 → 1,000,000/s", "constant 500,000/s", "max", "+ 4 query clients".</summary>
    public string Shape
    {
        get
        {
            var c = System.Globalization.CultureInfo.InvariantCulture;
            var unit = Load.Mode == LoadMode.Query ? " queries/s" : " events/s";
            var shape = Load.IsRamp ? string.Create(c, $"ramp {Load.RampFrom:N0} → {Load.Rate:N0}{unit}")
                : Load.Rate > 0 ? string.Create(c, $"constant {Load.Rate:N0}{unit}")
                : Load.Mode == LoadMode.Query ? string.Create(c, $"{Load.Clients} closed-loop query clients") : "sustained max";
            var connections = Load.Mode == LoadMode.Query ? "" : string.Create(c, $", {Load.ModeName} {Load.Connections}×{Load.Streams}");
            var query = Query is not { } q ? ""
                : q.Rate > 0 ? string.Create(c, $" + {q.Clients} query clients at {q.Rate:N0} queries/s")
                : string.Create(c, $" + {q.Clients} closed-loop query clients");
            return shape + connections + query;
        }
    }
}
