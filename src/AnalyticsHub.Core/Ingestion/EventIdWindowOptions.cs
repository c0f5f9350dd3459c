namespace AnalyticsHub.Core.Ingestion;

/// <summary>Settings of <see cref="EventIdWindow"/> (configuration <c>Hub:Ingest:DuplicateWindow*</c>).</summary>
public sealed record EventIdWindowOptions
{
    /// <summary>How long an event id is remembered at least (unless memory ran out first; see <see cref="EventIdWindow.EarlyRotations"/>).</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Most ids remembered at once, over all generations: 36 bytes of memory each once the tables are full size.</summary>
    public int MaxEntries { get; init; } = 4_000_000;

    /// <summary>
    /// Generations the window is cut into (2–16). More generations forget more precisely (an id
    /// is forgotten between <c>Window</c> and <c>Window × G/(G−1)</c>, and an early rotation drops
    /// only 1/G of what is remembered) at the price of more frequent sweeps when memory runs out.
    /// </summary>
    public int Generations { get; init; } = 4;
}
