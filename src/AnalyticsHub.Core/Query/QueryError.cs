namespace AnalyticsHub.Core.Query;

/// <summary>
/// One problem with a query: <see cref="Field"/> is the path of the offending part as the client
/// wrote it (<c>aggregation.time_bucket</c>, <c>filters[2].values[0]</c>; empty for the body as a
/// whole) and <see cref="Message"/> says what to change.
/// </summary>
public sealed record QueryError(string Field, string Message)
{
    public override string ToString() => Field.Length == 0 ? Message : $"{Field}: {Message}";
}
