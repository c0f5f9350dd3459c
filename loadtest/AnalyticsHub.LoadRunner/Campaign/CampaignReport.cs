using AnalyticsHub.LoadRunner.Reporting;

namespace AnalyticsHub.LoadRunner.Campaign;

/// <summary>A campaign as written to campaign.json: every stage's full run report(s) and the verdict.</summary>
public sealed record CampaignReport
{
    public string Tool { get; init; } = "AnalyticsHub.LoadRunner";

    public string Name { get; init; } = "";

    public string Description { get; init; } = "";

    public string File { get; init; } = "";

    public string CommandLine { get; init; } = "";

    public DateTimeOffset StartedAt { get; init; }

    public double ElapsedSeconds { get; init; }

    /// <summary>Ctrl-C ended the campaign before its last stage finished.</summary>
    public bool Interrupted { get; init; }

    public MachineReport Machine { get; init; } = new();

    public IReadOnlyList<StageReport> Stages { get; init; } = [];

    public bool Passed { get; init; }

    public int ExitCode { get; init; }
}

public sealed record StageReport
{
    /// <summary>1-based position in the campaign.</summary>
    public int Index { get; init; }

    public string Name { get; init; } = "";

    public string Description { get; init; } = "";

    public string Shape { get; init; } = "";

    /// <summary>The stage's main run: ingestion, or the query run of a query-only stage. Carries the hub's metrics.</summary>
    public RunReport Load { get; init; } = new();

    /// <summary>A mixed stage's query run beside the ingestion.</summary>
    public RunReport? Query { get; init; }

    public bool Passed { get; init; }

    public int ExitCode { get; init; }

    /// <summary>Where this stage's own reports were written, relative to the campaign's report directory.</summary>
    public string ReportDirectory { get; init; } = "";
}
