using System.Text;
using AnalyticsHub.Core.Events;

namespace AnalyticsHub.Core.Tests.Normalization;

/// <summary>
/// One event laid out as the decoder leaves it: every string in the arena of a fresh
/// <see cref="EventBatch"/> (loaded with <see cref="EventBatch.Load(ReadOnlySpan{byte})"/>), one row
/// naming them by slice, its tags and payload map entries added with <see cref="EventBatch.AddPair"/>.
/// Core.Tests cannot reference the Protocol decoder, so rows are built directly; the defaults are a
/// valid telemetry event for <see cref="Now"/>.
/// </summary>
public sealed class NormalizerRow
{
    /// <summary>The wall clock the validation tests pass in.</summary>
    public const long Now = 1_795_000_000_000_000_000;

    public string EventId { get; set; } = "0f8fad5b-d9cb-469f-a165-70867728950e";
    public long Time { get; set; } = Now - 1_000_000_000;
    public SourceModule Module { get; set; } = SourceModule.LlmObservatory;
    public EventType Type { get; set; } = EventType.Telemetry;
    public PayloadKind Kind { get; set; } = PayloadKind.Telemetry;
    public Severity Severity { get; set; } = Severity.Info;
    public string Schema { get; set; } = "1.0.0";
    public byte[] Environment { get; set; } = "production"u8.ToArray();
    public string TenantId { get; set; } = "";
    public string AssetId { get; set; } = "";
    public string PayloadName { get; set; } = "latency";
    public double Value { get; set; } = 12.5;

    /// <summary>telemetry.unit, cost.currency, security.threat_level, metadata.version, policy.decision.</summary>
    public string Unit { get; set; } = "ms";

    /// <summary>The payload's map (dimensions, attributes, details ...), in wire order.</summary>
    public List<(string Key, string Value)> PayloadPairs { get; } = [];

    public EventDecodeError DecodeError { get; set; }
    public int DecodeErrorField { get; set; }

    public NormalizerRow With(Action<NormalizerRow> change)
    {
        change(this);
        return this;
    }

    /// <summary>A batch holding this one event as its row 0 (dispose it).</summary>
    public EventBatch Build()
    {
        var arena = new List<byte>();
        var eventId = Add(arena, Encoding.UTF8.GetBytes(EventId));
        var schema = Add(arena, Encoding.UTF8.GetBytes(Schema));
        var environment = Add(arena, Environment);
        var tenant = Add(arena, Encoding.UTF8.GetBytes(TenantId));
        var asset = Add(arena, Encoding.UTF8.GetBytes(AssetId));
        var name = Add(arena, Encoding.UTF8.GetBytes(PayloadName));
        var unit = Add(arena, Encoding.UTF8.GetBytes(Unit));
        var tagKey = Add(arena, "region"u8.ToArray());
        var tagValue = Add(arena, "eu-west-1"u8.ToArray());
        var pairs = PayloadPairs.Select(p => (Add(arena, Encoding.UTF8.GetBytes(p.Key)), Add(arena, Encoding.UTF8.GetBytes(p.Value)))).ToList();

        var batch = new EventBatch();
        batch.Load(arena.ToArray());
        ref var row = ref batch.AddRow();
        row.Raw = new ArenaSlice(0, batch.ArenaLength);
        row.EventId = eventId;
        row.TimeUnixNano = Time;
        row.SourceModule = Module;
        row.EventType = Type;
        row.PayloadKind = Kind;
        row.Severity = Severity;
        row.SchemaVersion = schema;
        row.Environment = environment;
        row.TenantId = tenant;
        row.AssetId = asset;
        row.PayloadName = name;
        row.PayloadValue = Value;
        row.PayloadUnit = unit;
        row.TagStart = batch.AddPair(tagKey, tagValue);
        row.TagCount = 1;
        if (pairs.Count > 0)
        {
            row.PayloadPairStart = batch.PairCount;
            foreach (var (key, value) in pairs)
            {
                batch.AddPair(key, value);
            }

            row.PayloadPairCount = pairs.Count;
        }

        row.DecodeError = DecodeError;
        row.DecodeErrorField = DecodeErrorField;
        return batch;
    }

    public static string Text(EventBatch batch, ArenaSlice slice) => Encoding.UTF8.GetString(batch.Bytes(slice));

    private static ArenaSlice Add(List<byte> arena, byte[] bytes)
    {
        var slice = new ArenaSlice(arena.Count, bytes.Length);
        arena.AddRange(bytes);
        return slice;
    }
}
