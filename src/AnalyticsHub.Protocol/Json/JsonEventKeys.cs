using System.Text;
using AnalyticsHub.Core.Events;

namespace AnalyticsHub.Protocol.Json;

/// <summary>The keys of a JSON event object.</summary>
internal enum EventKey : byte
{
    Unknown,
    EventId,
    Timestamp,
    TimeUnixNano,
    SourceModule,
    EventType,
    SchemaVersion,
    CorrelationId,
    ParentEventId,
    Severity,
    Environment,
    Tags,
    TenantId,
    AssetId,

    /// <summary><c>"payload"</c>: the message is chosen by <c>event_type</c>.</summary>
    Payload,

    // A key naming its payload kind, in oneof order (fields 20–26).
    Telemetry,
    Security,
    Cost,
    Governance,
    Metadata,
    Policy,
    Custom,
}

/// <summary>Event keys by name, with the AnalyticsEvent field numbers of the string fields.</summary>
internal static class JsonEventKeys
{
    // snake_case names in EventKey order (index 0, Unknown, has none).
    private static readonly string[] Names =
    [
        "?", "event_id", "timestamp", "time_unix_nano", "source_module", "event_type", "schema_version",
        "correlation_id", "parent_event_id", "severity", "environment", "tags", "tenant_id", "asset_id",
        "payload", "telemetry", "security", "cost", "governance", "metadata", "policy", "custom",
    ];

    private static readonly byte[][] Utf8Names = [.. Names.Select(Encoding.UTF8.GetBytes)];

    public static EventKey Find(ReadOnlySpan<byte> key)
    {
        for (var i = 1; i < Utf8Names.Length; i++)
        {
            if (JsonNames.Matches(key, Utf8Names[i]))
            {
                return (EventKey)i;
            }
        }

        return EventKey.Unknown;
    }

    /// <summary>The snake_case name, for error paths.</summary>
    public static string Name(EventKey key) => Names[(int)key];

    /// <summary>The AnalyticsEvent field of a plain string key, else 0.</summary>
    public static int StringField(EventKey key) => key switch
    {
        EventKey.EventId => 1,
        EventKey.SchemaVersion => 5,
        EventKey.CorrelationId => 6,
        EventKey.ParentEventId => 7,
        EventKey.Environment => 9,
        EventKey.TenantId => 11,
        EventKey.AssetId => 12,
        _ => 0,
    };

    /// <summary>The payload kind a key names (Telemetry … Custom), else None.</summary>
    public static PayloadKind PayloadKindOf(EventKey key) =>
        key is >= EventKey.Telemetry and <= EventKey.Custom ? (PayloadKind)(20 + (key - EventKey.Telemetry)) : PayloadKind.None;
}
