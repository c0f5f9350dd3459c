using System.Text.Json;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Normalization;
using AnalyticsHub.Protocol.Events;

namespace AnalyticsHub.Protocol.Ingest;

/// <summary>
/// Writes the part of an event's payload that stores keep as JSON: every field with its
/// events.proto name except those the typed columns already hold unchanged (the name, tokens,
/// and the value and unit unless normalization converted them, in which case the originals are
/// kept here). Maps become objects, with the seed's Registry/Policy renames applied to their
/// keys; repeated strings become arrays; bytes become base64; unknown fields are left out.
/// </summary>
internal static class PayloadJson
{
    private enum Shape : byte
    {
        Skip,
        String,
        RepeatedString,
        Bytes,
        Double,
        Unsigned,
        Bool,
        Map,
    }

    public static void Write(Utf8JsonWriter json, EventBatch batch, in EventRow row)
    {
        ulong written = 0; // field numbers (< 64) already written: repeated fields and maps are written once, whole
        var reader = new ProtoReader(batch.Arena, row.Payload);
        while (!reader.IsAtEnd && reader.TryReadTag(out int field, out var wireType))
        {
            var (name, shape) = Field(row.PayloadKind, field);
            shape = Keep(shape, PayloadSchema.Column(row.PayloadKind, field), row.ValueDimension);
            bool first = field < 64 && (written & (1UL << field)) == 0;
            if (shape == Shape.Skip || !first || !Matches(shape, wireType))
            {
                if (!reader.TrySkip(wireType))
                {
                    return;
                }

                continue;
            }

            if (shape is Shape.Map or Shape.RepeatedString)
            {
                written |= 1UL << field;
                if (!reader.TrySkip(wireType))
                {
                    return;
                }

                WriteGroup(json, batch, row, field, name, shape);
                continue;
            }

            written |= field < 64 ? 1UL << field : 0;
            switch (shape)
            {
                case Shape.String when reader.TryReadLengthDelimited(out var text):
                    json.WriteString(name, batch.Bytes(text));
                    break;
                case Shape.Bytes when reader.TryReadLengthDelimited(out var bytes):
                    json.WriteBase64String(name, batch.Bytes(bytes));
                    break;
                case Shape.Double when reader.TryReadDouble(out double number):
                    WriteNumber(json, name, number);
                    break;
                case Shape.Unsigned when reader.TryReadVarint(out ulong unsigned):
                    json.WriteNumber(name, unsigned);
                    break;
                case Shape.Bool when reader.TryReadVarint(out ulong flag):
                    json.WriteBoolean(name, flag != 0);
                    break;
                default:
                    return; // malformed: the decoder accepted the event, so this cannot happen
            }
        }
    }

    /// <summary>Value and unit stay in JSON only when the typed columns hold converted ones.</summary>
    private static Shape Keep(Shape shape, PayloadColumn column, UnitDimension dimension) => column switch
    {
        PayloadColumn.Name or PayloadColumn.InputTokens or PayloadColumn.OutputTokens => Shape.Skip,
        PayloadColumn.Value or PayloadColumn.Unit when dimension == UnitDimension.None => Shape.Skip,
        _ => shape,
    };

    private static bool Matches(Shape shape, WireType wireType) => shape switch
    {
        Shape.Double => wireType == WireType.Fixed64,
        Shape.Unsigned or Shape.Bool => wireType == WireType.Varint,
        _ => wireType == WireType.LengthDelimited,
    };

    private static void WriteGroup(Utf8JsonWriter json, EventBatch batch, in EventRow row, int field, string name, Shape shape)
    {
        if (shape == Shape.Map)
        {
            json.WriteStartObject(name);
        }
        else
        {
            json.WriteStartArray(name);
        }

        var reader = new ProtoReader(batch.Arena, row.Payload);
        while (!reader.IsAtEnd && reader.TryReadTag(out int f, out var wireType))
        {
            if (f != field || wireType != WireType.LengthDelimited)
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

            if (shape == Shape.RepeatedString)
            {
                json.WriteStringValue(batch.Bytes(item));
            }
            else if (TryReadEntry(batch, item, out var key, out var value))
            {
                FieldMappings.TryMap(row.SourceModule, batch.Bytes(key), out var canonical);
                json.WriteString(canonical, batch.Bytes(value));
            }
        }

        if (shape == Shape.Map)
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

    private static void WriteNumber(Utf8JsonWriter json, string name, double number)
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

    private static (string Name, Shape Shape) Field(PayloadKind kind, int field) => (kind, field) switch
    {
        (PayloadKind.Telemetry, 1) => ("metric_name", Shape.String),
        (PayloadKind.Telemetry, 2) => ("metric_value", Shape.Double),
        (PayloadKind.Telemetry, 3) => ("unit", Shape.String),
        (PayloadKind.Telemetry, 4) => ("dimensions", Shape.Map),

        (PayloadKind.Security, 1) => ("threat_type", Shape.String),
        (PayloadKind.Security, 2) => ("description", Shape.String),
        (PayloadKind.Security, 3) => ("threat_level", Shape.String),
        (PayloadKind.Security, 4) => ("source_ip", Shape.String),
        (PayloadKind.Security, 5) => ("user_id", Shape.String),
        (PayloadKind.Security, 6) => ("action_taken", Shape.String),
        (PayloadKind.Security, 7) => ("affected_resources", Shape.RepeatedString),
        (PayloadKind.Security, 8) => ("details", Shape.Map),

        (PayloadKind.Cost, 1) => ("cost_type", Shape.String),
        (PayloadKind.Cost, 2) => ("amount", Shape.Double),
        (PayloadKind.Cost, 3) => ("currency", Shape.String),
        (PayloadKind.Cost, 4) => ("attribution", Shape.Map),
        (PayloadKind.Cost, 5) => ("input_tokens", Shape.Unsigned),
        (PayloadKind.Cost, 6) => ("output_tokens", Shape.Unsigned),
        (PayloadKind.Cost, 7) => ("model_id", Shape.String),

        (PayloadKind.Governance, 1) => ("governance_type", Shape.String),
        (PayloadKind.Governance, 2) => ("policy_id", Shape.String),
        (PayloadKind.Governance, 3) => ("actor", Shape.String),
        (PayloadKind.Governance, 4) => ("action", Shape.String),
        (PayloadKind.Governance, 5) => ("resource", Shape.String),
        (PayloadKind.Governance, 6) => ("outcome", Shape.String),
        (PayloadKind.Governance, 7) => ("lineage", Shape.RepeatedString),
        (PayloadKind.Governance, 8) => ("details", Shape.Map),

        (PayloadKind.Metadata, 1) => ("change_type", Shape.String),
        (PayloadKind.Metadata, 2) => ("asset_type", Shape.String),
        (PayloadKind.Metadata, 3) => ("name", Shape.String),
        (PayloadKind.Metadata, 4) => ("version", Shape.String),
        (PayloadKind.Metadata, 5) => ("owner", Shape.String),
        (PayloadKind.Metadata, 6) => ("attributes", Shape.Map),

        (PayloadKind.Policy, 1) => ("policy_id", Shape.String),
        (PayloadKind.Policy, 2) => ("policy_version", Shape.String),
        (PayloadKind.Policy, 3) => ("decision", Shape.String),
        (PayloadKind.Policy, 4) => ("passed", Shape.Bool),
        (PayloadKind.Policy, 5) => ("score", Shape.Double),
        (PayloadKind.Policy, 6) => ("violation_id", Shape.String),
        (PayloadKind.Policy, 7) => ("rule_id", Shape.String),
        (PayloadKind.Policy, 8) => ("evaluation_ms", Shape.Double),
        (PayloadKind.Policy, 9) => ("details", Shape.Map),

        (PayloadKind.Custom, 1) => ("type_name", Shape.String),
        (PayloadKind.Custom, 2) => ("json", Shape.String),
        (PayloadKind.Custom, 3) => ("data", Shape.Bytes),
        (PayloadKind.Custom, 4) => ("fields", Shape.Map),

        _ => ("", Shape.Skip),
    };
}
