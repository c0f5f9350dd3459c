using System.Text;

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

    private static readonly EventType[] EventTypes = Enum.GetValues<EventType>();
    private static readonly Severity[] Severities = Enum.GetValues<Severity>();

    public static bool TryParse(string text, out EventType type)
    {
        foreach (var candidate in EventTypes)
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

    /// <summary>The event type a UTF-8 name spells (ASCII-case-insensitive, not trimmed); allocates nothing, for the JSON event reader.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out EventType type)
    {
        foreach (var candidate in EventTypes)
        {
            if (candidate != EventType.Unspecified && Ascii.EqualsIgnoreCase(utf8, Of(candidate)))
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
        foreach (var candidate in Severities)
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
