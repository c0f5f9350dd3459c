namespace AnalyticsHub.Protocol.Json;

/// <summary>
/// Why a JSON body could not be transcoded, and where: <paramref name="Path"/> names the value
/// (<c>events[3].payload.metric_value</c>, <c>events[0].tags.region</c>, <c>$</c> for the body).
/// Event paths say <c>events[i]</c> whatever the body's shape (array, envelope or one event).
/// </summary>
/// <param name="EventIndex">The event's position in the body, or -1 for body-level errors.</param>
/// <param name="Path">Where the offending value is.</param>
/// <param name="Message">What was expected and what was found.</param>
public readonly record struct JsonFieldError(int EventIndex, string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
