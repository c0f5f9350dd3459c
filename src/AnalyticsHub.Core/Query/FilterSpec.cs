namespace AnalyticsHub.Core.Query;

/// <summary>One filter as sent: a field name, an operator name and its values (one, or several for <c>in</c>), all unvalidated text.</summary>
public sealed record FilterSpec
{
    public string? Field { get; init; }

    public string? Op { get; init; }

    public IReadOnlyList<string> Values { get; init; } = [];
}
