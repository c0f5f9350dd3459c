namespace AnalyticsHub.Core.Events;

/// <summary>Canonical lowercase names of event types and severities, as queries, results and persisted series keys spell them ("" for unspecified).</summary>
public static class EnumNames
{
    public static string Of(EventType type) => type switch
    {
        EventType.Telemetry => "telemetry",
        EventType.Security => "security",
        EventType.Cost => "cost",
        EventType.Governance => "governance",
        EventType.Metadata => "metadata",
        EventType.Policy => "policy",
        _ => "",
    };

    public static string Of(Severity severity) => severity switch
    {
        Severity.Debug => "debug",
        Severity.Info => "info",
        Severity.Warning => "warning",
        Severity.Error => "error",
        Severity.Critical => "critical",
        _ => "",
    };

    public static bool TryParse(string text, out EventType type)
    {
        foreach (var candidate in Enum.GetValues<EventType>())
        {
            if (candidate != EventType.Unspecified && string.Equals(Of(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                type = candidate;
                return true;
            }
        }
        type = EventType.Unspecified;
        return false;
    }

    public static bool TryParse(string text, out Severity severity)
    {
        foreach (var candidate in Enum.GetValues<Severity>())
        {
            if (candidate != Severity.Unspecified && string.Equals(Of(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                severity = candidate;
                return true;
            }
        }
        severity = Severity.Unspecified;
        return false;
    }
}
