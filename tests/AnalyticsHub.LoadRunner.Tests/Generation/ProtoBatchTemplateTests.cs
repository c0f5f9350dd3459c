using AnalyticsHub.Contracts.V1;
using AnalyticsHub.LoadRunner.Generation;
using AnalyticsHub.LoadRunner.Scenario;

namespace AnalyticsHub.LoadRunner.Tests.Generation;

public class ProtoBatchTemplateTests
{
    private const ulong BuildTime = 1_700_000_000_000_000_000;

    [Theory]
    [InlineData(1UL)]
    [InlineData(300UL)]
    [InlineData(ulong.MaxValue)]
    public void Patch_EveryEvent_ParsesBackWithPatchedIdsTimeAndSequence(ulong sequence)
    {
        var ids = new EventIdGenerator();
        var (template, original) = Create(ids, batchSize: 1000);

        var first = ids.Reserve(1000);
        const ulong time = 1_800_000_000_123_456_789;
        var parsed = EventBatch.Parser.ParseFrom(template.Patch(first, time, sequence).Span);

        Assert.Equal(sequence, parsed.Sequence);
        Assert.Equal("load-test-0-0", parsed.ProducerId);
        Assert.Equal(1000, parsed.Events.Count);
        for (var i = 0; i < parsed.Events.Count; i++)
        {
            var e = parsed.Events[i];
            Assert.Equal(ids.Format(first + (ulong)i), e.EventId);
            Assert.Equal(time, e.TimeUnixNano);

            // Everything else is the template's.
            var expected = original.Events[i].Clone();
            expected.EventId = e.EventId;
            expected.TimeUnixNano = time;
            Assert.Equal(expected, e);
        }
    }

    [Fact]
    public void Patch_Repeatedly_LeavesNothingOfThePreviousBatch()
    {
        var ids = new EventIdGenerator();
        var (template, _) = Create(ids, batchSize: 50);

        // A long sequence, then a short one: the shorter varint must not leave bytes behind.
        template.Patch(ids.Reserve(50), BuildTime + 1, ulong.MaxValue);
        var second = ids.Reserve(50);
        var bytes = template.Patch(second, BuildTime + 2, 2);
        Assert.Equal(template.PrefixLength + 2, bytes.Length);

        var parsed = EventBatch.Parser.ParseFrom(bytes.Span);
        Assert.Equal(2UL, parsed.Sequence);
        Assert.All(parsed.Events, e => Assert.Equal(BuildTime + 2, e.TimeUnixNano));
        Assert.Equal(ids.Format(second + 49), parsed.Events[49].EventId);
    }

    [Fact]
    public void Create_BatchFromTheDefaultMix_HasTheMixCountsAndAboutTheExpectedSize()
    {
        var ids = new EventIdGenerator();
        var (template, original) = Create(ids, batchSize: 1000);

        var byPayload = original.Events.GroupBy(e => e.PayloadCase).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(700, byPayload[AnalyticsEvent.PayloadOneofCase.Telemetry]);
        Assert.Equal(150, byPayload[AnalyticsEvent.PayloadOneofCase.Cost]);
        Assert.Equal(100, byPayload[AnalyticsEvent.PayloadOneofCase.Policy]);
        Assert.Equal(50, byPayload[AnalyticsEvent.PayloadOneofCase.Security]);
        Assert.All(original.Events.Where(e => e.Security is not null), e => Assert.Equal(Severity.Error, e.Severity));

        var telemetry = original.Events.Where(e => e.Telemetry is not null).Average(e => e.CalculateSize());
        Assert.InRange(telemetry, 130, 170);
        Assert.Equal(original.CalculateSize(), template.PrefixLength);
    }

    [Fact]
    public void Create_EventWithoutTime_IsRefused()
    {
        var ids = new EventIdGenerator();
        var batch = new EventBatch();
        batch.Events.Add(new AnalyticsEvent { EventId = ids.Format(0) });
        Assert.Throws<ArgumentException>(() => ProtoBatchTemplate.Create(batch, ids));
    }

    private static (ProtoBatchTemplate Template, EventBatch Original) Create(EventIdGenerator ids, int batchSize)
    {
        var batch = new EventBatch { ProducerId = "load-test-0-0" };
        batch.Events.Add(EventFactory.CreateBatch(EventMix.Default, batchSize, new Random(5), ids, BuildTime));
        return (ProtoBatchTemplate.Create(batch, ids), batch);
    }
}
