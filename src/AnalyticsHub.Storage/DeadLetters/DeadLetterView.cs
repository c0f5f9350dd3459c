namespace AnalyticsHub.Storage.DeadLetters;

/// <summary>A listed dead letter with its replay state.</summary>
/// <param name="Letter">The stored letter.</param>
/// <param name="ReplayedAt">When it was last replayed; null when never.</param>
/// <param name="ReplayOutcome">Outcome of that replay (e.g. <c>accepted</c>, <c>rejected:invalid_uuid</c>,
/// <c>duplicate</c>); null when never replayed.</param>
public sealed record DeadLetterView(DeadLetter Letter, DateTimeOffset? ReplayedAt, string? ReplayOutcome);
