using System.Text.Json;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Normalization;
using AnalyticsHub.Protocol.Events;
using AnalyticsHub.Protocol.Json;

namespace AnalyticsHub.Protocol.Ingest;

/// <summary>
/// Writes the part of an event's payload that stores keep as JSON: every field with its
/// events.proto name except those the typed columns already hold unchanged (the name, tokens,
/// and the value and unit unless normalization converted them, in which case the originals are
/// kept here). Maps become objects, with the seed's Registry/Policy renames applied to their
/// keys; repeated strings become arrays; bytes become base64; unknown fields are left out. Field
/// names and kinds come from the JSON ingestion's table (<see cref="JsonPayloadSchema"/>), the same
/// names clients send.
/// </summary>
internal static class PayloadJson
{
    public static void Write(Utf8JsonWriter json, EventBatch batch, in EventRow row)
    {
        var schema = JsonPayloadSchema.For(row.PayloadKind);
        ulong written = 0; // field numbers (< 64) already written: repeated fields and maps are written once, whole
        var reader = new ProtoReader(batch.Arena, row.Payload);
        while (!reader.IsAtEnd && reader.TryReadTag(out int field, out var wireType))
        {
            bool first = field < 64 && (written & (1UL << field)) == 0;
            if (!first || !schema.TryGetField(field, out var known) || !Keep(PayloadSchema.Column(row.PayloadKind, field), row.ValueDimension)
                || !Matches(known.Kind, wireType))
            {
                if (!reader.TrySkip(wireType))
                {
                    return;
                }

                continue;
            }

            written |= 1UL << field;
            if (known.Kind is JsonFieldKind.Map or JsonFieldKind.StringList)
            {
                if (!reader.TrySkip(wireType))
                {
                    return;
                }

                WriteGroup(json, batch, row, known);
                continue;
            }

            switch (known.Kind)
            {
                case JsonFieldKind.String or JsonFieldKind.JsonText when reader.TryReadLengthDelimited(out var text):
                    json.WriteString(known.EncodedName, batch.Bytes(text));
                    break;
                case JsonFieldKind.Base64 when reader.TryReadLengthDelimited(out var bytes):
                    json.WriteBase64String(known.EncodedName, batch.Bytes(bytes));
                    break;
                case JsonFieldKind.Double when reader.TryReadDouble(out double number):
                    WriteNumber(json, known.EncodedName, number);
                    break;
                case JsonFieldKind.UInt64 when reader.TryReadVarint(out ulong unsigned):
                    json.WriteNumber(known.EncodedName, unsigned);
                    break;
                case JsonFieldKind.Bool when reader.TryReadVarint(out ulong flag):
                    json.WriteBoolean(known.EncodedName, flag != 0);
                    break;
                default:
                    return; // malformed: the decoder accepted the event, so this cannot happen
            }
        }
    }

    /// <summary>Fields in typed columns are left out; value and unit stay only when the columns hold converted ones.</summary>
    private static bool Keep(PayloadColumn column, UnitDimension dimension) => column switch
    {
        PayloadColumn.Name or PayloadColumn.InputTokens or PayloadColumn.OutputTokens => false,
        PayloadColumn.Value or PayloadColumn.Unit => dimension != UnitDimension.None,
        _ => true,
    };

    private static bool Matches(JsonFieldKind kind, WireType wireType) => kind switch
    {
        JsonFieldKind.Double => wireType == WireType.Fixed64,
        JsonFieldKind.UInt64 or JsonFieldKind.Bool => wireType == WireType.Varint,
        _ => wireType == WireType.LengthDelimited,
    };

    private static void WriteGroup(Utf8JsonWriter json, EventBatch batch, in EventRow row, in JsonPayloadField field)
    {
        bool map = field.Kind == JsonFieldKind.Map;
        if (map)
        {
            json.WriteStartObject(field.EncodedName);
        }
        else
        {
            json.WriteStartArray(field.EncodedName);
        }

        var reader = new ProtoReader(batch.Arena, row.Payload);
        while (!reader.IsAtEnd && reader.TryReadTag(out int f, out var wireType))
        {
            if (f != field.Number || wireType != WireType.LengthDelimited)
            {
                if (!reader.TrySkip(wireType))
                {
                    break;
                }

                continue;
            }

            if (!reader.TryReadLengthDelimited(out var item))
            {
                break;
            }

            if (!map)
            {
                json.WriteStringValue(batch.Bytes(item));
            }
            else if (TryReadEntry(batch, item, out var key, out var value))
            {
                FieldMappings.TryMap(row.SourceModule, batch.Bytes(key), out var canonical);
                json.WriteString(canonical, batch.Bytes(value));
            }
        }

        if (map)
        {
            json.WriteEndObject();
        }
        else
        {
            json.WriteEndArray();
        }
    }

    private static bool TryReadEntry(EventBatch batch, ArenaSlice entry, out ArenaSlice key, out ArenaSlice value)
    {
        key = default;
        value = default;
        var reader = new ProtoReader(batch.Arena, entry);
        while (!reader.IsAtEnd && reader.TryReadTag(out int field, out var wireType))
        {
            bool ok = (field, wireType) switch
            {
                (1, WireType.LengthDelimited) => reader.TryReadLengthDelimited(out key),
                (2, WireType.LengthDelimited) => reader.TryReadLengthDelimited(out value),
                _ => reader.TrySkip(wireType),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static void WriteNumber(Utf8JsonWriter json, JsonEncodedText name, double number)
    {
        if (double.IsFinite(number))
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteString(name, double.IsNaN(number) ? "NaN" : number > 0 ? "Infinity" : "-Infinity");
        }
    }
}
