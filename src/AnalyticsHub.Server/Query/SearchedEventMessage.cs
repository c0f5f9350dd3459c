using System.Text.Json;
using System.Text.Json.Nodes;
using AnalyticsHub.Contracts.V1;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Query;
using Google.Protobuf;

namespace AnalyticsHub.Server.Query;

/// <summary>
/// Rebuilds an <c>AnalyticsEvent</c> from a stored row for gRPC search answers: the common
/// fields from their columns, tags from the tags JSON, and the payload from the payload JSON
/// (proto field names) completed with the typed columns (name, value, unit, tokens) under their
/// proto names — where the JSON keeps an original value (a unit converted on ingest) the
/// original wins, so the event reads as it was sent.
/// </summary>
internal static class SearchedEventMessage
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    public static AnalyticsEvent From(SearchedEvent e)
    {
        var message = new AnalyticsEvent
        {
            EventId = e.EventId,
            TimeUnixNano = (ulong)e.TimeUnixNano,
            SourceModule = (Contracts.V1.SourceModule)e.SourceModule,
            EventType = (Contracts.V1.EventType)e.EventType,
            SchemaVersion = e.SchemaVersion,
            CorrelationId = e.CorrelationId,
            ParentEventId = e.ParentEventId,
            Severity = (Contracts.V1.Severity)e.Severity,
            Environment = e.Environment,
            TenantId = e.TenantId,
            AssetId = e.AssetId,
        };

        if (Parse(e.TagsJson) is { } tags)
        {
            foreach (var (key, tag) in tags)
            {
                if (tag is JsonValue text && text.TryGetValue(out string? s))
                {
                    message.Tags[key] = s;
                }
            }
        }

        var payload = Parse(e.PayloadJson) ?? [];
        var (field, name, value, unit) = Columns(e.PayloadKind);
        if (field is null)
        {
            return message;
        }

        SetIfAbsent(payload, name, e.Name.Length > 0 ? JsonValue.Create(e.Name) : null);
        SetIfAbsent(payload, value, JsonValue.Create(e.Value));
        SetIfAbsent(payload, unit, e.Unit.Length > 0 ? JsonValue.Create(e.Unit) : null);
        if (e.PayloadKind == PayloadKind.Cost)
        {
            SetIfAbsent(payload, "input_tokens", e.InputTokens == 0 ? null : JsonValue.Create(e.InputTokens));
            SetIfAbsent(payload, "output_tokens", e.OutputTokens == 0 ? null : JsonValue.Create(e.OutputTokens));
        }

        try
        {
            var descriptor = AnalyticsEvent.Descriptor.FindFieldByName(field);
            var parsed = Parser.Parse(payload.ToJsonString(), descriptor.MessageType);
            descriptor.Accessor.SetValue(message, parsed);
        }
        catch (InvalidProtocolBufferException)
        {
            // A stored payload that no longer parses (damage): the event without it, rather than no answer.
        }
        return message;
    }

    /// <summary>The payload's oneof field and the proto names of the typed columns for its kind (null when the kind has none).</summary>
    private static (string? Field, string? Name, string? Value, string? Unit) Columns(PayloadKind kind) => kind switch
    {
        PayloadKind.Telemetry => ("telemetry", "metric_name", "metric_value", "unit"),
        PayloadKind.Security => ("security", "threat_type", null, "threat_level"),
        PayloadKind.Cost => ("cost", "cost_type", "amount", "currency"),
        PayloadKind.Governance => ("governance", "governance_type", null, "outcome"),
        PayloadKind.Metadata => ("metadata", "change_type", null, "version"),
        PayloadKind.Policy => ("policy", "policy_id", "score", "decision"),
        PayloadKind.Custom => ("custom", "type_name", null, null),
        _ => (null, null, null, null),
    };

    private static void SetIfAbsent(JsonObject payload, string? name, JsonNode? value)
    {
        if (name is not null && value is not null && !payload.ContainsKey(name))
        {
            payload[name] = value;
        }
    }

    private static JsonObject? Parse(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

}
