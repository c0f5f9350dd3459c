using System.Text;
using System.Text.Json;
using AnalyticsHub.Core.Events;

namespace AnalyticsHub.Protocol.Json;

/// <summary>
/// One JSON event object as an <c>AnalyticsEvent</c> (EventBatch field 1). Fields are written in
/// the order they come. A payload whose message depends on keys not read yet — "payload" before
/// event_type, or a Registry/Policy payload before source_module (its keys are renamed per
/// module) — is stepped over and read again from a saved reader once the object ends: the
/// reader is a struct, so the copy is the bookmark, and the body is all in memory.
/// </summary>
internal static class JsonEventTranscoder
{
    private const int BatchEvents = 1;
    private const int FieldTime = 2;
    private const int FieldSourceModule = 3;
    private const int FieldEventType = 4;
    private const int FieldSeverity = 8;
    private const int FieldTags = 10;

    /// <summary>Transcodes the object the reader is on; the reader ends on its closing brace.</summary>
    public static void Transcode(ref Utf8JsonReader reader, JsonTranscodeContext context)
    {
        if (!context.CheckDepth(ref reader, ""))
        {
            return;
        }

        var output = context.Output;
        var message = output.BeginNested(BatchEvents, 16383); // most events fit a 2-byte length
        var seen = 0u;
        var eventType = 0; // 0: not given; -1: given but unreadable (already reported)
        var module = 0;
        var payloadKey = EventKey.Unknown;
        var deferred = default(Utf8JsonReader);
        var hasDeferred = false;
        Span<byte> keyBuffer = stackalloc byte[JsonNames.MaxKeyLength];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = JsonScalars.TryGetShortText(ref reader, keyBuffer, out var name) ? JsonEventKeys.Find(name) : EventKey.Unknown;
            reader.Read();
            if (key == EventKey.Unknown)
            {
                // Forward compatibility: newer producers may send keys this build does not know.
                if (!context.TrySkipQuietly(ref reader))
                {
                    context.FailTooDeep(UnknownKeyPath(name));
                    return;
                }

                continue;
            }

            // Both time keys set one field; all payload keys set the oneof.
            var bit = key switch
            {
                EventKey.TimeUnixNano => 1u << (int)EventKey.Timestamp,
                >= EventKey.Payload => 1u << (int)EventKey.Payload,
                _ => 1u << (int)key,
            };
            if ((seen & bit) != 0)
            {
                Duplicate(ref reader, context, key, payloadKey);
                continue;
            }

            seen |= bit;
            if (key >= EventKey.Payload)
            {
                payloadKey = key;
                if (CanReadPayloadNow(key, seen, eventType))
                {
                    ReadPayload(ref reader, context, key, eventType, module);
                }
                else
                {
                    deferred = reader;
                    hasDeferred = true;
                    context.TrySkip(ref reader, JsonEventKeys.Name(key));
                }
            }
            else
            {
                ReadField(ref reader, context, key, ref eventType, ref module);
            }

            if (context.Stopped)
            {
                return;
            }
        }

        if (hasDeferred)
        {
            ReadPayload(ref deferred, context, payloadKey, eventType, module);
        }

        output.EndNested(message);
    }

    private static void ReadField(ref Utf8JsonReader reader, JsonTranscodeContext context, EventKey key, ref int eventType, ref int module)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return; // null is "not set"
        }

        var output = context.Output;
        var path = JsonEventKeys.Name(key);
        var stringField = JsonEventKeys.StringField(key);
        string? error;
        if (stringField != 0)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                error = $"expected a string, found {JsonScalars.Describe(ref reader)}";
            }
            else
            {
                var status = JsonScalars.WriteString(ref reader, output, stringField, context.Options.MaxStringBytes, omitEmpty: true, out _, out _);
                error = status == TextStatus.Ok ? null : JsonScalars.TextError(status, ref reader, context.Options.MaxStringBytes);
            }
        }
        else
        {
            switch (key)
            {
                case EventKey.Timestamp or EventKey.TimeUnixNano:
                    var ok = key == EventKey.Timestamp
                        ? JsonTimestamp.TryRead(ref reader, out var nanos, out error)
                        : JsonTimestamp.TryReadUnixNanos(ref reader, out nanos, out error);
                    if (ok && nanos != 0)
                    {
                        output.WriteFixed64Field(FieldTime, nanos);
                    }

                    break;

                case EventKey.SourceModule:
                    JsonEnums.TryReadSourceModule(ref reader, out module, out error);
                    WriteEnum(output, FieldSourceModule, module);
                    break;

                case EventKey.EventType:
                    JsonEnums.TryReadEventType(ref reader, out eventType, out error);
                    WriteEnum(output, FieldEventType, eventType);
                    break;

                case EventKey.Severity:
                    JsonEnums.TryReadSeverity(ref reader, out var severity, out error);
                    WriteEnum(output, FieldSeverity, severity);
                    break;

                case EventKey.Tags:
                    context.BeginMap();
                    JsonMaps.ReadObject(ref reader, context, FieldTags, path);
                    return;

                default:
                    throw new InvalidOperationException($"No reader for event key {key}.");
            }
        }

        if (error is not null)
        {
            context.Fail(path, error);
            context.TrySkip(ref reader, path);
        }
    }

    private static void WriteEnum(ProtoMessageBuffer output, int field, int value)
    {
        if (value > 0)
        {
            output.WriteVarintField(field, (ulong)value);
        }
    }

    /// <summary>
    /// A payload's message is known once its kind is (for "payload": event_type has been read), and
    /// its keys can be mapped once source_module has been read — needed only for Registry and Policy keys.
    /// </summary>
    private static bool CanReadPayloadNow(EventKey key, uint seen, int eventType)
    {
        var kind = key == EventKey.Payload ? KindOf(eventType) : JsonEventKeys.PayloadKindOf(key);
        if (key == EventKey.Payload && (seen & (1u << (int)EventKey.EventType)) == 0)
        {
            return false;
        }

        return kind is not (PayloadKind.Metadata or PayloadKind.Policy) || (seen & (1u << (int)EventKey.SourceModule)) != 0;
    }

    private static void ReadPayload(ref Utf8JsonReader reader, JsonTranscodeContext context, EventKey key, int eventType, int module)
    {
        var viaPayloadKey = key == EventKey.Payload;
        var kind = viaPayloadKey ? KindOf(eventType) : JsonEventKeys.PayloadKindOf(key);
        if (kind == PayloadKind.None)
        {
            // An event_type that failed to read (-1) was reported already; say nothing more about it.
            if (reader.TokenType != JsonTokenType.Null && eventType >= 0)
            {
                context.Fail("payload", eventType == 0
                    ? "\"payload\" needs event_type to choose its message; set event_type, or name the payload by its kind (\"telemetry\": {…})"
                    : $"event_type {eventType} has no payload message; name the payload by its kind (\"custom\": {{…}})");
            }

            context.TrySkip(ref reader, "payload");
            return;
        }

        var sourceModule = module is > 0 and <= (int)SourceModule.LlmPolicyEngine ? (SourceModule)module : SourceModule.Unspecified;
        JsonPayloadTranscoder.Transcode(ref reader, context, kind, sourceModule, viaPayloadKey);
    }

    /// <summary>The payload message of an event type (TELEMETRY = 1 → telemetry = 20, …), None when it has none.</summary>
    private static PayloadKind KindOf(int eventType) =>
        eventType is >= (int)EventType.Telemetry and <= (int)EventType.Policy ? (PayloadKind)(19 + eventType) : PayloadKind.None;

    private static void Duplicate(ref Utf8JsonReader reader, JsonTranscodeContext context, EventKey key, EventKey payloadKey)
    {
        var path = JsonEventKeys.Name(key);
        var message = key switch
        {
            >= EventKey.Payload when payloadKey != key =>
                $"an event carries one payload; \"{JsonEventKeys.Name(payloadKey)}\" was already given",
            EventKey.Timestamp or EventKey.TimeUnixNano => "give one of timestamp and time_unix_nano, once",
            _ => "the key appears more than once (its snake_case and camelCase names are the same key)",
        };
        context.Fail(path, message);
        context.TrySkip(ref reader, path);
    }

    private static string UnknownKeyPath(ReadOnlySpan<byte> name) => name.IsEmpty ? "" : Encoding.UTF8.GetString(name);
}
