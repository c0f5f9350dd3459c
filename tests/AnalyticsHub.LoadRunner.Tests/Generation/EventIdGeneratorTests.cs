using AnalyticsHub.LoadRunner.Generation;

namespace AnalyticsHub.LoadRunner.Tests.Generation;

public class EventIdGeneratorTests
{
    [Fact]
    public void Write_OneMillionIds_AreUniqueCanonicalVersion4Uuids()
    {
        var ids = new EventIdGenerator();
        var seen = new HashSet<Guid>(1_000_000);
        var text = new byte[EventIdGenerator.TextLength];
        var first = ids.Reserve(1_000_000);
        for (ulong i = 0; i < 1_000_000; i++)
        {
            ids.Write(first + i, text);
            AssertCanonicalV4(text);
            Assert.True(seen.Add(Guid.ParseExact(System.Text.Encoding.ASCII.GetString(text), "D")), $"duplicate id at {i}");
        }

        Assert.Equal(1_000_000, seen.Count);
    }

    [Fact]
    public void Reserve_FromManyThreads_HandsOutDisjointBlocks()
    {
        var ids = new EventIdGenerator(0x1234_5678_9abc_def0);
        var starts = new System.Collections.Concurrent.ConcurrentBag<ulong>();
        Parallel.For(0, 10_000, _ => starts.Add(ids.Reserve(100)));
        var sorted = starts.Order().ToArray();
        for (var i = 0; i < sorted.Length; i++)
        {
            Assert.Equal((ulong)i * 100, sorted[i]);
        }

        Assert.Equal(1_000_000, ids.Issued);
    }

    [Fact]
    public void Generators_WithRandomPrefixes_DoNotShareIds()
    {
        var a = new EventIdGenerator();
        var b = new EventIdGenerator();
        Assert.NotEqual(a.RunPrefix, b.RunPrefix);
        Assert.NotEqual(a.Format(0), b.Format(0));
    }

    [Fact]
    public void Format_SplitsPrefixAndCounterAtTheThirdDash()
    {
        var ids = new EventIdGenerator(0xFFFF_FFFF_FFFF_FFFF);
        Assert.Equal("ffffffff-ffff-4fff-8000-000000000000", ids.Format(0));
        Assert.Equal("ffffffff-ffff-4fff-8000-00000000002a", ids.Format(42));
        Assert.Equal("ffffffff-ffff-4fff-bfff-ffffffffffff", ids.Format(ulong.MaxValue >> 2));
        Assert.Equal(ids.Format(0)[..EventIdGenerator.CounterOffset], System.Text.Encoding.ASCII.GetString(ids.PrefixText));
    }

    private static void AssertCanonicalV4(ReadOnlySpan<byte> text)
    {
        Assert.Equal(36, text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = (char)text[i];
            if (i is 8 or 13 or 18 or 23)
            {
                Assert.Equal('-', c);
            }
            else
            {
                Assert.True(c is (>= '0' and <= '9') or (>= 'a' and <= 'f'), $"'{c}' at {i} is not lower-case hex");
            }
        }

        Assert.Equal('4', (char)text[14]);
        Assert.Contains((char)text[19], "89ab");
    }
}
