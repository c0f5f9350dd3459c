using System.Text;
using AnalyticsHub.Core.Events;

namespace AnalyticsHub.Core.Tests.Rollups;

/// <summary>One event as a rollup test describes it.</summary>
public sealed record RollupEvent(
    long TimeUnixNano,
    double Value,
    string Metric = "latency_ms",
    string Tenant = "",
    string Model = "",
    Severity Severity = Severity.Info,
    EventType Type = EventType.Telemetry,
    PayloadKind Kind = PayloadKind.Telemetry,
    string Environment = "production",
    string Region = "",
    ulong InputTokens = 0,
    ulong OutputTokens = 0,
    bool ModelInPayload = false);

/// <summary>Builds a decoded <see cref="EventBatch"/> of many events (Core.Tests cannot use the Protocol decoder).</summary>
public static class RollupEvents
{
    public static EventBatch Batch(IEnumerable<RollupEvent> events)
    {
        var list = events.ToList();
        var arena = new List<byte>();
        var slices = new List<Slices>(list.Count);
        foreach (var e in list)
        {
            slices.Add(new Slices(
                Add(arena, Encoding.UTF8.GetBytes(Guid.NewGuid().ToString())),
                Add(arena, Encoding.UTF8.GetBytes(e.Tenant)),
                Add(arena, Encoding.UTF8.GetBytes(e.Environment)),
                Add(arena, Encoding.UTF8.GetBytes(e.Metric)),
                Add(arena, "model"u8.ToArray()),
                Add(arena, Encoding.UTF8.GetBytes(e.Model)),
                Add(arena, "region"u8.ToArray()),
                Add(arena, Encoding.UTF8.GetBytes(e.Region)),
                Add(arena, "user_id"u8.ToArray()),
                Add(arena, Encoding.UTF8.GetBytes(Guid.NewGuid().ToString()))));
        }

        var batch = new EventBatch(arenaCapacity: Math.Max(1024, arena.Count), rowCapacity: Math.Max(16, list.Count), pairCapacity: Math.Max(64, list.Count * 4));
        batch.Load(arena.ToArray());
        for (int i = 0; i < list.Count; i++)
        {
            var e = list[i];
            var s = slices[i];
            ref var row = ref batch.AddRow();
            row.EventId = s.EventId;
            row.TimeUnixNano = e.TimeUnixNano;
            row.SourceModule = e.Type == EventType.Cost ? SourceModule.LlmCostOps : SourceModule.LlmObservatory;
            row.EventType = e.Type;
            row.PayloadKind = e.Kind;
            row.Severity = e.Severity;
            row.TenantId = s.Tenant;
            row.Environment = s.Environment;
            row.PayloadName = s.Metric;
            row.PayloadValue = e.Value;
            row.InputTokens = e.InputTokens;
            row.OutputTokens = e.OutputTokens;

            int tagStart = batch.PairCount;
            int tags = 0;
            if (e.Model.Length > 0 && !e.ModelInPayload)
            {
                batch.AddPair(s.ModelKey, s.Model);
                tags++;
            }
            if (e.Region.Length > 0)
            {
                batch.AddPair(s.RegionKey, s.Region);
                tags++;
            }
            batch.AddPair(s.UserKey, s.User); // high cardinality: must never split series
            tags++;
            row.TagStart = tagStart;
            row.TagCount = tags;
            if (e.Model.Length > 0 && e.ModelInPayload)
            {
                row.PayloadPairStart = batch.AddPair(s.ModelKey, s.Model);
                row.PayloadPairCount = 1;
            }
        }
        return batch;
    }

    private static ArenaSlice Add(List<byte> arena, byte[] bytes)
    {
        var slice = new ArenaSlice(arena.Count, bytes.Length);
        arena.AddRange(bytes);
        return slice;
    }

    private readonly record struct Slices(
        ArenaSlice EventId, ArenaSlice Tenant, ArenaSlice Environment, ArenaSlice Metric,
        ArenaSlice ModelKey, ArenaSlice Model, ArenaSlice RegionKey, ArenaSlice Region, ArenaSlice UserKey, ArenaSlice User);
}
