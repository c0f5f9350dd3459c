using AnalyticsHub.Storage.DeadLetters;
using AnalyticsHub.Storage.Tests.Wal;
using static AnalyticsHub.Storage.Tests.DeadLetters.DeadLetterTestKit;

namespace AnalyticsHub.Storage.Tests.DeadLetters;

public sealed class DeadLetterEvictionTests
{
    [Fact]
    public void MaxEntries_KeepsTheNewest_CountsEvictions_AndHoldsAcrossReopen()
    {
        using var dir = new TempDirectory();
        DeadLetterStoreOptions options = Options(dir.Path) with { MaxEntries = 100 };
        using (DeadLetterStore store = DeadLetterStore.Open(options))
        {
            Assert.Equal(60, store.Add(Letters(0, 60)));
            Assert.Equal(0, store.Evicted);
            Assert.Equal(70, store.Add(Letters(60, 70)));

            Assert.Equal(100, store.Count);
            Assert.Equal(30, store.Evicted);
            AssertHoldsNumbers(store, 30, 130);
            Assert.Equal(Letters(30, 100).Sum(Size), store.TotalBytes);

            // One Add larger than the bound keeps only its own newest letters.
            Assert.Equal(250, store.Add(Letters(130, 250)));
            Assert.Equal(280, store.Evicted);
            AssertHoldsNumbers(store, 280, 380);
        }

        using (DeadLetterStore store = DeadLetterStore.Open(options))
        {
            Assert.Equal(100, store.Count);
            Assert.Equal(280, store.Evicted);
            Assert.Equal(Letters(280, 100).Sum(Size), store.TotalBytes);
            store.Add(Letters(380, 5));
            Assert.Equal(285, store.Evicted);
            AssertHoldsNumbers(store, 285, 385);
        }
    }

    [Fact]
    public void MaxBytes_KeepsTheNewestWithinTheBound_CountsEvictions_AndHoldsAcrossReopen()
    {
        using var dir = new TempDirectory();
        // Numbers 100..999 all have the same text lengths, so every 1000-byte letter has the same size.
        long perLetter = Size(Letter(100, eventBytes: 1000));
        DeadLetterStoreOptions options = Options(dir.Path) with { MaxBytes = perLetter * 50 + perLetter / 2 };
        using (DeadLetterStore store = DeadLetterStore.Open(options))
        {
            store.Add(Letters(100, 40, eventBytes: 1000));
            Assert.Equal(0, store.Evicted);
            store.Add(Letters(140, 40, eventBytes: 1000));

            Assert.Equal(50, store.Count);
            Assert.Equal(30, store.Evicted);
            Assert.Equal(perLetter * 50, store.TotalBytes);
            AssertHoldsNumbers(store, 130, 180);
        }

        using (DeadLetterStore store = DeadLetterStore.Open(options))
        {
            Assert.Equal(perLetter * 50, store.TotalBytes);
            Assert.Equal(30, store.Evicted);

            // A big letter evicts as many old ones as its size needs: 50 + 4.x letters' worth
            // must come down to 50.5, so the 4 oldest go.
            DeadLetter big = Letter(180, eventBytes: (int)(perLetter * 4));
            store.Add([big]);

            Assert.True(store.TotalBytes <= options.MaxBytes);
            Assert.Equal(34, store.Evicted);
            Assert.Equal(perLetter * 46 + Size(big), store.TotalBytes);
            AssertHoldsNumbers(store, 134, 181);
        }
    }

    [Fact]
    public void Reopen_WithSmallerBounds_EvictsAtOpen()
    {
        using var dir = new TempDirectory();
        using (DeadLetterStore store = DeadLetterStore.Open(Options(dir.Path)))
        {
            store.Add(Letters(0, 500));
        }

        using (DeadLetterStore store = DeadLetterStore.Open(Options(dir.Path) with { MaxEntries = 120 }))
        {
            Assert.Equal(120, store.Count);
            Assert.Equal(380, store.Evicted);
            AssertHoldsNumbers(store, 380, 500);
        }

        using (DeadLetterStore store = DeadLetterStore.Open(Options(dir.Path)))
        {
            Assert.Equal(120, store.Count);
            Assert.Equal(380, store.Evicted);
        }
    }

    [Fact]
    public void Eviction_IdsAreNeverReused_SoOldCursorsAndIdsStayValid()
    {
        using var dir = new TempDirectory();
        using DeadLetterStore store = DeadLetterStore.Open(Options(dir.Path) with { MaxEntries = 10 });
        store.Add(Letters(0, 10));
        DeadLetterPage first = store.List(new DeadLetterQuery { Limit = 5 });
        long evictedId = first.Items[0].Letter.Id;

        store.Add(Letters(10, 10)); // evicts every letter the cursor and the id were taken from

        Assert.Empty(store.Get([evictedId]));
        List<DeadLetterView> rest = ListAll(store, new DeadLetterQuery { Limit = 5, Cursor = first.NextCursor });
        Assert.Equal(Enumerable.Range(10, 10).Select(i => (long)i), rest.Select(v => Number(v.Letter)));
        Assert.All(rest, v => Assert.True(v.Letter.Id > first.Items[^1].Letter.Id));
    }

    private static void AssertHoldsNumbers(DeadLetterStore store, long first, long end)
    {
        List<DeadLetterView> all = ListAll(store, new DeadLetterQuery { Limit = 1000 });
        Assert.Equal(Enumerable.Range((int)first, (int)(end - first)).Select(i => (long)i), all.Select(v => Number(v.Letter)));
        Assert.Equal(all.Count, store.Count);
    }

    private static long Size(DeadLetter l) =>
        l.Event.Length + System.Text.Encoding.UTF8.GetByteCount(l.TenantId + l.EventId + l.Code + l.Message + l.ProducerId) + 256;
}
