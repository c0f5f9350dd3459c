using AnalyticsHub.LoadRunner.Campaign;

namespace AnalyticsHub.LoadRunner.Output;

/// <summary>Where a campaign shows its progress: stage boundaries, and a view for each run of the running stage.</summary>
internal interface ICampaignProgress
{
    void Message(string text);

    void StageStarting(int index);

    /// <summary>The running stage's main run (ingestion, or the query run of a query-only stage).</summary>
    IProgressView LoadView { get; }

    /// <summary>The running stage's query run beside the ingestion (mixed stages).</summary>
    IProgressView QueryView { get; }

    void StageEnded(int index, StageReport stage);
}
