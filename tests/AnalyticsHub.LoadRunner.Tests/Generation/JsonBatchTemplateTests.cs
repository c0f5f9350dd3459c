using System.Globalization;
using System.Text.Json;
using AnalyticsHub.LoadRunner.Generation;
using AnalyticsHub.LoadRunner.Scenario;

namespace AnalyticsHub.LoadRunner.Tests.Generation;

public class JsonBatchTemplateTests
{
    [Fact]
    public void Patch_EveryEvent_HasPatchedIdAndTimestampInTheSeedSchema()
    {
        var ids = new EventIdGenerator();
        var events = EventFactory.CreateBatch(EventMix.Default, 200, new Random(2), ids, 1_700_000_000_000_000_000);
        var template = JsonBatchTemplate.Create(events, ids);

        var first = ids.Reserve(200);
        var now = new DateTime(2026, 11, 24, 10, 0, 0, DateTimeKind.Utc).AddTicks(1234567);
        using var document = JsonDocument.Parse(template.Patch(first, now));

        var array = document.RootElement;
        Assert.Equal(JsonValueKind.Array, array.ValueKind);
        Assert.Equal(200, array.GetArrayLength());
        var i = 0UL;
        foreach (var e in array.EnumerateArray())
        {
            Assert.Equal(ids.Format(first + i), e.GetProperty("event_id").GetString());
            Assert.Equal("2026-11-24T10:00:00.1234567Z", e.GetProperty("timestamp").GetString());
            Assert.Equal(now, DateTime.Parse(e.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal));
            Assert.Equal("1.0.0", e.GetProperty("schema_version").GetString());
            var type = e.GetProperty("event_type").GetString();
            var payload = e.GetProperty("payload");
            switch (type)
            {
                case "telemetry":
                    Assert.Equal("llm-observatory", e.GetProperty("source_module").GetString());
                    Assert.True(payload.GetProperty("metric_value").GetDouble() >= 0);
                    Assert.Equal(JsonValueKind.Object, payload.GetProperty("dimensions").ValueKind);
                    break;
                case "cost":
                    Assert.Equal("llm-costops", e.GetProperty("source_module").GetString());
                    Assert.Equal("USD", payload.GetProperty("currency").GetString());
                    break;
                case "policy":
                    Assert.Equal("llm-policy-engine", e.GetProperty("source_module").GetString());
                    Assert.Equal(JsonValueKind.String, payload.GetProperty("decision").ValueKind);
                    break;
                case "security":
                    Assert.Equal("llm-sentinel", e.GetProperty("source_module").GetString());
                    Assert.Equal("error", e.GetProperty("severity").GetString());
                    break;
                default:
                    Assert.Fail($"unexpected event_type {type}");
                    break;
            }

            i++;
        }
    }

    [Fact]
    public void FormatTimestamp_IsAlwaysTwentyEightCharacters()
    {
        Span<byte> text = stackalloc byte[JsonBatchTemplate.TimestampLength];
        JsonBatchTemplate.FormatTimestamp(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), text);
        Assert.Equal("2026-01-02T03:04:05.0000000Z", System.Text.Encoding.ASCII.GetString(text));
    }
}
