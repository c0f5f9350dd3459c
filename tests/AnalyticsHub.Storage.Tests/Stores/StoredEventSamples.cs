using System.Text;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Normalization;
using AnalyticsHub.Core.Storage;

namespace AnalyticsHub.Storage.Tests.Stores;

/// <summary>
/// Builds <see cref="StoredEventBatch"/>es of realistic, deterministic events for store tests:
/// a mix of telemetry, cost, security and policy rows, each with a unique event_id derived from
/// its WAL position, so a test can predict every column of every row it wrote.
/// </summary>
public static class StoredEventSamples
{
    /// <summary>The fixed instant sample events are stamped around (2026-11-24 12:00:00 UTC).</summary>
    public static readonly DateTimeOffset BaseTime = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A batch of <paramref name="records"/> WAL records × <paramref name="eventsPerRecord"/> events, starting at WAL address <paramref name="firstAddress"/> (records 4096 bytes apart).</summary>
    public static StoredEventBatch Batch(int records, int eventsPerRecord, long firstAddress = 64, string tenant = "default", DateTimeOffset? time = null)
    {
        var batch = new StoredEventBatch();
        Fill(batch, records, eventsPerRecord, firstAddress, tenant, time ?? BaseTime);
        return batch;
    }

    /// <summary>Appends rows as <see cref="Batch"/> describes to an existing batch.</summary>
    public static void Fill(StoredEventBatch batch, int records, int eventsPerRecord, long firstAddress, string tenant, DateTimeOffset time)
    {
        if (batch.Count == 0)
        {
            batch.FirstAddress = firstAddress;
        }

        for (int r = 0; r < records; r++)
        {
            long address = firstAddress + r * 4096L;
            for (int i = 0; i < eventsPerRecord; i++)
            {
                AddEvent(batch, new SampleEvent(address, i, tenant, time.AddMilliseconds(r * 10 + i)));
            }

            batch.NextAddress = address + 4096;
        }
    }

    /// <summary>The event_id a sample at (address, index) gets: a valid v4 UUID text, unique per position.</summary>
    public static string EventId(long address, int index)
    {
        ulong high = ((ulong)address << 16) | (uint)(index & 0xFFFF);
        return $"{high >> 32:x8}-{(high >> 16) & 0xFFFF:x4}-4{high & 0xFFF:x3}-8000-{(ulong)index * 7919 + 1:x12}";
    }

    /// <summary>What a sample row carries, to derive each kind's columns from.</summary>
    public readonly record struct SampleEvent(long Address, int Index, string Tenant, DateTimeOffset Time)
    {
        public int Kind => Index % 4;
    }

    public static ref StoredEvent AddEvent(StoredEventBatch batch, SampleEvent sample)
    {
        var id = EventId(sample.Address, sample.Index);
        if (!Core.Validation.Uuid.TryParse(Encoding.UTF8.GetBytes(id), out ulong high, out ulong low))
        {
            throw new InvalidOperationException("sample id is not a UUID: " + id);
        }

        ref var row = ref batch.AddRow();
        row.WalAddress = sample.Address;
        row.WalIndex = sample.Index;
        row.IdHigh = high;
        row.IdLow = low;
        row.EventId = Text(batch, id);
        row.TenantId = Text(batch, sample.Tenant);
        row.TimeUnixNano = (sample.Time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        row.ReceivedUnixNano = row.TimeUnixNano + 1_500_000;
        row.SchemaVersion = Text(batch, "1.0.0");
        row.Environment = Text(batch, "production");
        row.AssetId = Text(batch, "asset-" + (sample.Index % 5));
        row.CorrelationId = sample.Index % 2 == 0 ? Text(batch, "corr-" + sample.Address) : default;
        switch (sample.Kind)
        {
            case 0:
                row.SourceModule = SourceModule.LlmObservatory;
                row.EventType = EventType.Telemetry;
                row.Severity = Severity.Info;
                row.PayloadKind = PayloadKind.Telemetry;
                row.Name = Text(batch, "latency_ms");
                row.Value = 100 + sample.Index * 0.5;
                row.Unit = Text(batch, "ms");
                row.ValueDimension = UnitDimension.Duration;
                row.TagsJson = Text(batch, "{\"model\":\"gpt-4o\",\"region\":\"eu-west-1\"}");
                row.PayloadJson = Text(batch, "{\"dimensions\":{\"endpoint\":\"/v1/chat\"}}");
                break;
            case 1:
                row.SourceModule = SourceModule.LlmCostOps;
                row.EventType = EventType.Cost;
                row.PayloadKind = PayloadKind.Cost;
                row.Name = Text(batch, "inference");
                row.Value = 0.0125 * (sample.Index + 1);
                row.Unit = Text(batch, "USD");
                row.ValueDimension = UnitDimension.Usd;
                row.InputTokens = 1200 + (ulong)sample.Index;
                row.OutputTokens = 300;
                row.TagsJson = Text(batch, "{\"model\":\"claude-3\"}");
                row.PayloadJson = Text(batch, "{\"model_id\":\"claude-3\",\"attribution\":{\"team\":\"search\"}}");
                break;
            case 2:
                row.SourceModule = SourceModule.LlmSentinel;
                row.EventType = EventType.Security;
                row.Severity = Severity.Critical;
                row.PayloadKind = PayloadKind.Security;
                row.Name = Text(batch, "prompt_injection");
                row.Unit = Text(batch, "high");
                row.TagsJson = Text(batch, "{}");
                row.PayloadJson = Text(batch, "{\"description\":\"ignore previous \\\"instructions\\\" — ünïcode\",\"source_ip\":\"10.0.0.7\",\"user_id\":\"u-42\",\"affected_resources\":[\"r1\",\"r2\"]}");
                break;
            default:
                row.SourceModule = SourceModule.LlmPolicyEngine;
                row.EventType = EventType.Policy;
                row.Severity = Severity.Warning;
                row.PayloadKind = PayloadKind.Policy;
                row.Name = Text(batch, "pii-filter");
                row.Value = 0.25;
                row.Unit = Text(batch, "deny");
                row.TagsJson = Text(batch, "{\"service\":\"chat\"}");
                row.PayloadJson = Text(batch, "{\"passed\":false,\"id\":\"v-1\",\"rule_id\":\"r-9\",\"evaluation_ms\":1.5}");
                break;
        }

        return ref row;
    }

    private static ArenaSlice Text(StoredEventBatch batch, string value) => batch.AddText(Encoding.UTF8.GetBytes(value));
}
