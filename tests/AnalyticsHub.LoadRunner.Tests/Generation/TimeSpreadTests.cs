using AnalyticsHub.Contracts.V1;
using AnalyticsHub.LoadRunner.Generation;
using AnalyticsHub.LoadRunner.Scenario;

namespace AnalyticsHub.LoadRunner.Tests.Generation;

public class TimeSpreadTests
{
    private const ulong Now = 1_800_000_000_000_000_000;
    private const ulong Day = 86_400_000_000_000;

    [Fact]
    public void Sample_StaysInTheWindowAndFillsItEvenly()
    {
        var spread = new TimeSpread(Day, seed: 7);
        var bins = new int[24];
        const int n = 240_000;
        for (var i = 0; i < n; i++)
        {
            var t = spread.Sample(Now);
            Assert.InRange(t, Now - Day + 1, Now);
            bins[(int)((Now - t) / (Day / 24))]++;
        }

        // 10,000 expected per hour; 5 % is over 10 standard deviations.
        Assert.All(bins, b => Assert.InRange(b, 9_500, 10_500));
    }

    [Fact]
    public void Sample_DifferentSeeds_DrawDifferentTimes()
    {
        var a = new TimeSpread(Day, seed: 1);
        var b = new TimeSpread(Day, seed: 2);
        Assert.NotEqual(Enumerable.Range(0, 8).Select(_ => a.Sample(Now)), Enumerable.Range(0, 8).Select(_ => b.Sample(Now)));
    }

    [Fact]
    public void ProtoPatch_WithSpread_GivesEveryEventItsOwnTimeInTheWindow()
    {
        var ids = new EventIdGenerator();
        var batch = new EventBatch { ProducerId = "p" };
        batch.Events.Add(EventFactory.CreateBatch(EventMix.Default, 1000, new Random(3), ids, Now, ModelNames.Create(50)));
        var template = ProtoBatchTemplate.Create(batch, ids);

        var first = ids.Reserve(1000);
        var parsed = EventBatch.Parser.ParseFrom(template.Patch(first, Now, 9, new TimeSpread(Day, 1)).Span);
        Assert.Equal(9UL, parsed.Sequence);
        Assert.All(parsed.Events, e => Assert.InRange(e.TimeUnixNano, Now - Day + 1, Now));
        Assert.True(parsed.Events.Select(e => e.TimeUnixNano).Distinct().Count() > 990);
        Assert.Equal(ids.Format(first + 999), parsed.Events[999].EventId);

        // Without a spread, every event is "now" again.
        parsed = EventBatch.Parser.ParseFrom(template.Patch(ids.Reserve(1000), Now, 10).Span);
        Assert.All(parsed.Events, e => Assert.Equal(Now, e.TimeUnixNano));
    }

    [Fact]
    public void JsonPatch_WithSpread_WritesEachEventsOwnTimestamp()
    {
        var ids = new EventIdGenerator();
        var events = EventFactory.CreateBatch(EventMix.Default, 200, new Random(3), ids, Now);
        var template = JsonBatchTemplate.Create(events, ids);
        var now = DateTime.UnixEpoch.AddTicks((long)(Now / 100));
        var body = template.Patch(ids.Reserve(200), now, new TimeSpread(Day, 5));

        using var document = System.Text.Json.JsonDocument.Parse(body);
        var times = document.RootElement.EnumerateArray().Select(e => DateTime.Parse(e.GetProperty("timestamp").GetString()!, null, System.Globalization.DateTimeStyles.AdjustToUniversal)).ToList();
        Assert.All(times, t => Assert.InRange(t, now.AddDays(-1), now));
        Assert.True(times.Distinct().Count() > 190);
    }

    [Fact]
    public void Models_FiftyNames_AreDistinctAndAllUsedInABatch()
    {
        var names = ModelNames.Create(50);
        Assert.Equal(50, names.Distinct().Count());
        Assert.Equal(ModelNames.Defaults, names[..4]);
        Assert.Equal("model-050", names[49]);

        var events = EventFactory.CreateBatch(EventMix.Default, 1000, new Random(1), new EventIdGenerator(), Now, names);
        var used = events.Select(e => e.Telemetry?.Dimensions["model_id"] ?? e.Cost?.ModelId).Where(m => m is not null).Distinct().Count();
        Assert.Equal(50, used);
    }

    [Fact]
    public void Models_Default_DrawsAsBeforeTheOption()
    {
        var ids = new EventIdGenerator(42);
        var before = EventFactory.CreateBatch(EventMix.Default, 100, new Random(9), ids, Now);
        var after = EventFactory.CreateBatch(EventMix.Default, 100, new Random(9), ids, Now, ModelNames.Create(4));
        Assert.Equal(before, after);
    }
}
