using AnalyticsHub.Core.Rollups;

namespace AnalyticsHub.Core.Tests.Rollups;

public sealed class RollupChangeLogTests
{
    private const long Second = 1_000_000_000L;
    private const long Hour = 3_600 * Second;
    private const long Now = 1_795_478_400L * Second;
    private const long LiveEdge = Now - (10 * Second);

    [Fact]
    public void NothingRecorded_IsNone()
    {
        var log = new RollupChangeLog();

        Assert.Equal(RangeChange.None, log.ChangesSince(0, "t", Now - Hour, Now, LiveEdge));
    }

    [Fact]
    public void ChangesAtOrBeforeTheVersion_AreNotCounted()
    {
        var log = new RollupChangeLog();
        log.Record(5, "t", Now - Hour, Now - Hour + Second);

        Assert.Equal(RangeChange.None, log.ChangesSince(5, "t", Now - Hour, Now, LiveEdge));
        Assert.Equal(RangeChange.Changed, log.ChangesSince(4, "t", Now - Hour, Now, LiveEdge));
    }

    [Fact]
    public void ChangeInTheLiveEdge_IsLiveEdgeOnly()
    {
        var log = new RollupChangeLog();
        log.Record(2, "t", Now - Second, Now);
        log.Record(3, "t", LiveEdge, LiveEdge + Second);

        Assert.Equal(RangeChange.LiveEdgeOnly, log.ChangesSince(1, "t", Now - Hour, Now, LiveEdge));
    }

    [Fact]
    public void ChangeBeforeTheLiveEdge_IsChanged_EvenBehindLiveEdgeChanges()
    {
        var log = new RollupChangeLog();
        log.Record(2, "t", LiveEdge - Second, LiveEdge); // a late event 11 s old
        log.Record(3, "t", Now - Second, Now);

        Assert.Equal(RangeChange.Changed, log.ChangesSince(1, "t", Now - Hour, Now, LiveEdge));
    }

    [Fact]
    public void OtherTenantsAndOtherRanges_AreIgnored()
    {
        var log = new RollupChangeLog();
        log.Record(2, "other", Now - Hour, Now);
        log.Record(3, "t", Now, Now + Second);          // starts at the range's exclusive end
        log.Record(4, "t", Now - (2 * Hour), Now - Hour); // ends at its inclusive start

        Assert.Equal(RangeChange.None, log.ChangesSince(1, "t", Now - Hour, Now, LiveEdge));
    }

    [Fact]
    public void LogThatNoLongerReachesBack_IsChanged()
    {
        var log = new RollupChangeLog(capacity: 4);
        for (long v = 1; v <= 5; v++)
        {
            log.Record(v, "other", Now - Second, Now);
        }

        // v1 was overwritten: whether something for "t" came between v1 and v2 is unknown.
        Assert.Equal(RangeChange.Changed, log.ChangesSince(1, "t", Now - Hour, Now, LiveEdge));
        Assert.Equal(RangeChange.None, log.ChangesSince(2, "t", Now - Hour, Now, LiveEdge));
    }

    [Fact]
    public void UnchangedSince_TreatsTheLiveEdgeAsAChange()
    {
        var log = new RollupChangeLog();
        log.Record(2, "t", Now - Second, Now);

        Assert.False(log.UnchangedSince(1, "t", Now - Hour, Now));
    }
}
