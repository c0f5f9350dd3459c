using System.Buffers;
using System.Text;
using AnalyticsHub.Core.Events;

namespace AnalyticsHub.Core.Tests.Events;

public sealed class EventBatchTests
{
    [Fact]
    public void Load_CopiesBytesIntoTheArena_AndSlicesNameThem()
    {
        using var batch = new EventBatch(arenaCapacity: 4);
        var bytes = Encoding.UTF8.GetBytes("hello, arena");
        batch.Load(bytes);

        Assert.Equal(bytes.Length, batch.ArenaLength);
        Assert.Equal("arena", Encoding.UTF8.GetString(batch.Bytes(new ArenaSlice(7, 5))));
        bytes[0] = (byte)'J';
        Assert.Equal((byte)'h', batch.Arena[0]); // a copy, not a view of the caller's buffer
    }

    [Fact]
    public void Load_FromManySegments_EqualsLoadFromOneBuffer()
    {
        var bytes = Enumerable.Range(0, 10_000).Select(i => (byte)i).ToArray();
        using var batch = new EventBatch(arenaCapacity: 16);
        batch.Load(Segments.Build(bytes, Enumerable.Range(0, (bytes.Length + 6) / 7).Select(i => Math.Min(7, bytes.Length - (i * 7))).ToList()));
        Assert.True(batch.Arena.SequenceEqual(bytes));
    }

    [Fact]
    public void AddRowAndAddPair_GrowPastTheirInitialCapacity_KeepingContents()
    {
        using var batch = new EventBatch(rowCapacity: 1, pairCapacity: 1);
        batch.Load(new byte[64]);
        for (var i = 0; i < 5000; i++)
        {
            ref var row = ref batch.AddRow();
            row.TimeUnixNano = i;
            Assert.Equal(i, batch.AddPair(new ArenaSlice(i % 64, 0), new ArenaSlice(0, i % 64)));
        }

        Assert.Equal(5000, batch.Count);
        Assert.Equal(5000, batch.PairCount);
        for (var i = 0; i < 5000; i++)
        {
            Assert.Equal(i, batch[i].TimeUnixNano);
            Assert.Equal(i % 64, batch.Pairs[i].Value.Length);
        }
    }

    [Fact]
    public void AddRow_ReturnsAClearedRow_EvenWhenReusingAnOldOne()
    {
        using var batch = new EventBatch();
        batch.Load(new byte[8]);
        batch.AddRow().TimeUnixNano = 99;
        batch.Reset();
        batch.Load(new byte[8]);
        Assert.Equal(0, batch.AddRow().TimeUnixNano);
    }

    [Fact]
    public void Reset_ClearsRowsPairsAndEnvelope()
    {
        using var batch = new EventBatch();
        batch.Load(new byte[8]);
        batch.AddRow();
        batch.AddPair(default, default);
        batch.ProducerId = new ArenaSlice(0, 4);
        batch.Sequence = 7;

        batch.Reset();

        Assert.Equal(0, batch.Count);
        Assert.Equal(0, batch.PairCount);
        Assert.Equal(0, batch.ArenaLength);
        Assert.Equal(default, batch.ProducerId);
        Assert.Equal(0UL, batch.Sequence);
    }

    [Fact]
    public void TruncatePairs_DropsOnlyLaterPairs()
    {
        using var batch = new EventBatch();
        batch.Load(new byte[8]);
        batch.AddPair(new ArenaSlice(0, 1), default);
        batch.AddPair(new ArenaSlice(1, 1), default);
        batch.AddPair(new ArenaSlice(2, 1), default);
        batch.TruncatePairs(1);
        Assert.Equal(1, batch.PairCount);
        batch.TruncatePairs(5);
        Assert.Equal(1, batch.PairCount);
    }

    [Fact]
    public void ReusedBatch_SteadyState_AllocatesNothing()
    {
        var bytes = new byte[100_000];
        using var batch = new EventBatch();
        Fill(batch, bytes);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            Fill(batch, bytes);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        static void Fill(EventBatch batch, byte[] bytes)
        {
            batch.Load(bytes);
            for (var r = 0; r < 1000; r++)
            {
                batch.AddRow();
                batch.AddPair(default, default);
            }
        }
    }

    [Fact]
    public void EventRow_HoldsNoReferences_SoRowArraysAreNotScannedByTheGC()
    {
        Assert.False(System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<EventRow>());
        Assert.False(System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<KeyValueSlice>());
    }

    [Theory]
    [InlineData(EventDecodeError.Truncated, "truncated")]
    [InlineData(EventDecodeError.WrongWireType, "wrong wire type")]
    [InlineData(EventDecodeError.MalformedVarint, "malformed varint")]
    [InlineData(EventDecodeError.InvalidTag, "invalid field tag")]
    [InlineData(EventDecodeError.TooManyPairs, "more map entries")]
    [InlineData(EventDecodeError.InterleavedMaps, "interleaved")]
    public void DecodeErrorText_NamesTheProblem(EventDecodeError error, string expected) =>
        Assert.Contains(expected, EventDecodeErrorText.Describe(error, 10), StringComparison.Ordinal);
}
