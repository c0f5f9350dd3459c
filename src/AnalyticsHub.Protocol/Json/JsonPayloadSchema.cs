using System.Text;
using System.Text.Json;
using AnalyticsHub.Core.Events;

namespace AnalyticsHub.Protocol.Json;

/// <summary>How a payload field is read from JSON and written to protobuf.</summary>
internal enum JsonFieldKind : byte
{
    String,

    /// <summary>double: a JSON number or a numeric string.</summary>
    Double,

    /// <summary>uint64: a non-negative integer, or a numeric string.</summary>
    UInt64,
    Bool,

    /// <summary>repeated string: an array of strings (a lone string is a list of one).</summary>
    StringList,

    /// <summary>map&lt;string,string&gt;: an object of strings, numbers or booleans.</summary>
    Map,

    /// <summary>bytes, sent as base64 (standard or URL-safe).</summary>
    Base64,

    /// <summary>A string holding a JSON document: sent as a string, or as any JSON value (kept as its text).</summary>
    JsonText,
}

/// <summary>A payload field, with its error paths precomputed so the success path builds no strings.</summary>
internal readonly record struct JsonPayloadField(string Name, byte[] Utf8Name, int Number, JsonFieldKind Kind, string PathViaPayload, string PathViaKind)
{
    /// <summary>The name escaped once for Utf8JsonWriter (writing a stored event's payload back as JSON).</summary>
    public JsonEncodedText EncodedName { get; } = JsonEncodedText.Encode(Utf8Name);

    /// <summary>"payload.metric_value" when sent under "payload", else "telemetry.metric_value".</summary>
    public string Path(bool viaPayloadKey) => viaPayloadKey ? PathViaPayload : PathViaKind;
}

/// <summary>The payload messages of events.proto, as JSON field tables. Changes here follow events.proto.</summary>
internal sealed class JsonPayloadSchema
{
    private static readonly JsonPayloadSchema Telemetry = new(
        "telemetry",
        ("metric_name", 1, JsonFieldKind.String),
        ("metric_value", 2, JsonFieldKind.Double),
        ("unit", 3, JsonFieldKind.String),
        ("dimensions", 4, JsonFieldKind.Map));

    private static readonly JsonPayloadSchema Security = new(
        "security",
        ("threat_type", 1, JsonFieldKind.String),
        ("description", 2, JsonFieldKind.String),
        ("threat_level", 3, JsonFieldKind.String),
        ("source_ip", 4, JsonFieldKind.String),
        ("user_id", 5, JsonFieldKind.String),
        ("action_taken", 6, JsonFieldKind.String),
        ("affected_resources", 7, JsonFieldKind.StringList),
        ("details", 8, JsonFieldKind.Map));

    private static readonly JsonPayloadSchema Cost = new(
        "cost",
        ("cost_type", 1, JsonFieldKind.String),
        ("amount", 2, JsonFieldKind.Double),
        ("currency", 3, JsonFieldKind.String),
        ("attribution", 4, JsonFieldKind.Map),
        ("input_tokens", 5, JsonFieldKind.UInt64),
        ("output_tokens", 6, JsonFieldKind.UInt64),
        ("model_id", 7, JsonFieldKind.String));

    private static readonly JsonPayloadSchema Governance = new(
        "governance",
        ("governance_type", 1, JsonFieldKind.String),
        ("policy_id", 2, JsonFieldKind.String),
        ("actor", 3, JsonFieldKind.String),
        ("action", 4, JsonFieldKind.String),
        ("resource", 5, JsonFieldKind.String),
        ("outcome", 6, JsonFieldKind.String),
        ("lineage", 7, JsonFieldKind.StringList),
        ("details", 8, JsonFieldKind.Map));

    private static readonly JsonPayloadSchema Metadata = new(
        "metadata",
        ("change_type", 1, JsonFieldKind.String),
        ("asset_type", 2, JsonFieldKind.String),
        ("name", 3, JsonFieldKind.String),
        ("version", 4, JsonFieldKind.String),
        ("owner", 5, JsonFieldKind.String),
        ("attributes", 6, JsonFieldKind.Map));

    private static readonly JsonPayloadSchema Policy = new(
        "policy",
        ("policy_id", 1, JsonFieldKind.String),
        ("policy_version", 2, JsonFieldKind.String),
        ("decision", 3, JsonFieldKind.String),
        ("passed", 4, JsonFieldKind.Bool),
        ("score", 5, JsonFieldKind.Double),
        ("violation_id", 6, JsonFieldKind.String),
        ("rule_id", 7, JsonFieldKind.String),
        ("evaluation_ms", 8, JsonFieldKind.Double),
        ("details", 9, JsonFieldKind.Map));

    private static readonly JsonPayloadSchema Custom = new(
        "custom",
        ("type_name", 1, JsonFieldKind.String),
        ("json", 2, JsonFieldKind.JsonText),
        ("data", 3, JsonFieldKind.Base64),
        ("fields", 4, JsonFieldKind.Map));

    private JsonPayloadSchema(string name, params (string Name, int Number, JsonFieldKind Kind)[] fields)
    {
        Name = name;
        Fields = [.. fields.Select(f => new JsonPayloadField(f.Name, Encoding.UTF8.GetBytes(f.Name), f.Number, f.Kind, $"payload.{f.Name}", $"{name}.{f.Name}"))];
        MapField = Fields.Single(f => f.Kind == JsonFieldKind.Map);
    }

    /// <summary>The payload's name as a JSON key ("telemetry").</summary>
    public string Name { get; }

    /// <summary>The error path of the payload object: "payload" or its kind's name.</summary>
    public string Path(bool viaPayloadKey) => viaPayloadKey ? "payload" : Name;

    public JsonPayloadField[] Fields { get; }

    /// <summary>The payload's one map, where keys that are not fields go.</summary>
    public JsonPayloadField MapField { get; }

    public static JsonPayloadSchema For(PayloadKind kind) => kind switch
    {
        PayloadKind.Telemetry => Telemetry,
        PayloadKind.Security => Security,
        PayloadKind.Cost => Cost,
        PayloadKind.Governance => Governance,
        PayloadKind.Metadata => Metadata,
        PayloadKind.Policy => Policy,
        PayloadKind.Custom => Custom,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The field with protobuf number <paramref name="number"/>; false for a number this build does not know.</summary>
    public bool TryGetField(int number, out JsonPayloadField field)
    {
        foreach (var candidate in Fields)
        {
            if (candidate.Number == number)
            {
                field = candidate;
                return true;
            }
        }

        field = default;
        return false;
    }

    /// <summary>The index in <see cref="Fields"/> of the field <paramref name="key"/> names, or -1.</summary>
    public int Find(ReadOnlySpan<byte> key)
    {
        for (var i = 0; i < Fields.Length; i++)
        {
            if (JsonNames.Matches(key, Fields[i].Utf8Name))
            {
                return i;
            }
        }

        return -1;
    }
}
