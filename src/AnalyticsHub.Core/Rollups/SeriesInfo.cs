using System.Text;
using System.Text.Json;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Query;

namespace AnalyticsHub.Core.Rollups;

/// <summary>
/// One rollup series: a tenant's metric from one source module and event type, at one
/// severity, environment, asset and set of tag dimension values. Created once when the series
/// is first seen (its strings outlive every batch), never changed.
/// </summary>
public sealed class SeriesInfo
{
    /// <summary>The value of every dimension of an overflow series (the tenant hit its series cap).</summary>
    public const string Other = "__other__";

    internal SeriesInfo(
        int id, string tenantId, SourceModule sourceModule, EventType eventType, Severity severity, string metric,
        string environment, string assetId, string[] tagValues, SeriesDimensions dimensions, bool isOverflow)
    {
        Id = id;
        TenantId = tenantId;
        SourceModule = sourceModule;
        EventType = eventType;
        Severity = severity;
        Metric = metric;
        Environment = environment;
        AssetId = assetId;
        TagValues = tagValues;
        Dimensions = dimensions;
        IsOverflow = isOverflow;
        Key = BuildKey();
    }

    public int Id { get; }
    public string TenantId { get; }
    public SourceModule SourceModule { get; }
    public EventType EventType { get; }
    public Severity Severity { get; }
    public string Metric { get; }
    public string Environment { get; }
    public string AssetId { get; }

    /// <summary>Values of <see cref="SeriesDimensions.Tags"/>, in that order ("" when the event had none).</summary>
    public IReadOnlyList<string> TagValues { get; }

    public SeriesDimensions Dimensions { get; }

    /// <summary>True for a series that collects events of series over the tenant's cap.</summary>
    public bool IsOverflow { get; }

    /// <summary>Every dimension as one canonical JSON object (the persisted rollups' series key; stable across restarts).</summary>
    public string Key { get; }

    /// <summary>This series' value of series dimension <paramref name="field"/> (canonical names for enums).</summary>
    public string ValueOf(in QueryField field) => field.Kind switch
    {
        FieldKind.SourceModule => SourceModuleNames.Name(SourceModule),
        FieldKind.EventType => EnumNames.Of(EventType),
        FieldKind.Severity => EnumNames.Of(Severity),
        FieldKind.Environment => Environment,
        FieldKind.AssetId => AssetId,
        FieldKind.SeriesTag => TagValue(field.Key),
        _ => throw new ArgumentException($"'{field.Name}' is not a series dimension.", nameof(field)),
    };

    /// <summary>
    /// A series described by a persisted row's tenant and canonical key (restart warm-up), or null
    /// when the key does not parse. Tag dimensions the key lacks (added to the configuration
    /// since) read as "".
    /// </summary>
    public static SeriesInfo? FromKey(string tenantId, string key, SeriesDimensions dimensions)
    {
        try
        {
            using var document = JsonDocument.Parse(key);
            var root = document.RootElement;
            string Get(string name) => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
            if (!SourceModuleNames.TryParseModule(Get("source_module"), out var module) && Get("source_module").Length != 0)
            {
                return null;
            }

            EnumNames.TryParse(Get("event_type"), out EventType type);
            EnumNames.TryParse(Get("severity"), out Severity severity);
            var tags = dimensions.Tags.Select(Get).ToArray();
            string environment = Get("environment"), asset = Get("asset_id");
            bool overflow = environment == Other && asset == Other && tags.All(t => t == Other);
            return new SeriesInfo(-1, tenantId, module, type, severity, Get("metric"), environment, asset, tags, dimensions, overflow);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private string TagValue(string tag)
    {
        var tags = Dimensions.Tags;
        for (int i = 0; i < tags.Count; i++)
        {
            if (tags[i] == tag)
            {
                return TagValues[i];
            }
        }
        return "";
    }

    private string BuildKey()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("source_module", SourceModuleNames.Name(SourceModule));
            json.WriteString("event_type", EnumNames.Of(EventType));
            json.WriteString("severity", EnumNames.Of(Severity));
            json.WriteString("metric", Metric);
            json.WriteString("environment", Environment);
            json.WriteString("asset_id", AssetId);
            for (int i = 0; i < TagValues.Count; i++)
            {
                json.WriteString(Dimensions.Tags[i], TagValues[i]);
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
