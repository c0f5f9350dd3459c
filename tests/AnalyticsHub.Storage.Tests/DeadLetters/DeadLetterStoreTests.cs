using AnalyticsHub.Core.Events;
using AnalyticsHub.Storage.DeadLetters;
using AnalyticsHub.Storage.Tests.Wal;
using static AnalyticsHub.Storage.Tests.DeadLetters.DeadLetterTestKit;

namespace AnalyticsHub.Storage.Tests.DeadLetters;

public sealed class DeadLetterStoreTests
{
    [Fact]
    public void Add_List_RoundTripsEveryFieldInOrderWithAscendingIds()
    {
        using var dir = new TempDirectory();
        using DeadLetterStore store = DeadLetterStore.Open(Options(dir.Path));
        DeadLetter[] letters = Letters(0, 25);
        letters[3] = letters[3] with { Event = [], EventId = "", Message = "", SourceModule = SourceModule.Unspecified, Sequence = 0 };

        Assert.Equal(25, store.Add(letters));

        DeadLetterPage page = store.List(new DeadLetterQuery());
        Assert.Null(page.NextCursor);
        Assert.Equal(25, page.Items.Count);
        for (int i = 0; i < letters.Length; i++)
        {
            AssertSameLetter(letters[i], page.Items[i].Letter);
            Assert.Null(page.Items[i].ReplayedAt);
            Assert.Null(page.Items[i].ReplayOutcome);
        }
        long[] ids = page.Items.Select(v => v.Letter.Id).ToArray();
        Assert.True(ids[0] > 0);
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.Equal(25, store.Count);
        Assert.Equal(letters.Sum(SizeOf), store.TotalBytes);
    }

    [Fact]
    public void Add_SameWalAddressAndIndexAgain_AddsNothing()
    {
        using var dir = new TempDirectory();
        using DeadLetterStore store = DeadLetterStore.Open(Options(dir.Path));
        DeadLetter[] letters = Letters(0, 30);
        Assert.Equal(30, store.Add(letters));
        long bytes = store.TotalBytes;

        // The indexer crashed before persisting its WAL checkpoint and copies the records again,
        // this time with the next record's letters too.
        DeadLetter[] again = [.. letters.Select(l => l with { Message = "copied twice" }), .. Letters(30, 10)];
        Assert.Equal(10, store.Add(again));

        List<DeadLetterView> all = ListAll(store, new DeadLetterQuery { Limit = 1000 });
        Assert.Equal(40, all.Count);
        Assert.DoesNotContain(all, v => v.Letter.Message == "copied twice");
        Assert.Equal(40, store.Count);
        Assert.Equal(bytes + Letters(30, 10).Sum(SizeOf), store.TotalBytes);
        Assert.Equal(0, store.Add(again));
    }

    [Fact]
    public void Get_ReturnsStoredLettersAmongIds_AscendingAndSkipsUnknown()
    {
        using var dir = new TempDirectory();
        using DeadLetterStore store = DeadLetterStore.Open(Options(dir.Path));
        DeadLetter[] letters = Letters(0, 50);
        store.Add(letters);
        long[] ids = ListAll(store, new DeadLetterQuery()).Select(v => v.Letter.Id).ToArray();

        IReadOnlyList<DeadLetter> got = store.Get([ids[40], ids[2], 999_999, ids[2], -1, ids[17]]);

        Assert.Equal([ids[2], ids[17], ids[40]], got.Select(l => l.Id));
        AssertSameLetter(letters[2], got[0]);
        AssertSameLetter(letters[17], got[1]);
        AssertSameLetter(letters[40], got[2]);
        Assert.Empty(store.Get([]));
    }

    [Fact]
    public void MarkReplayed_RecordsOutcome_AndReplayedFilterSplitsTheLetters()
    {
        using var dir = new TempDirectory();
        using DeadLetterStore store = DeadLetterStore.Open(Options(dir.Path));
        store.Add(Letters(0, 20));
        long[] ids = ListAll(store, new DeadLetterQuery()).Select(v => v.Letter.Id).ToArray();
        DateTimeOffset at = Epoch.AddHours(1).AddTicks(3);

        int updated = store.MarkReplayed([(ids[1], "accepted"), (ids[5], "rejected:invalid_uuid"), (ids[9], "duplicate"), (123_456, "accepted")], at);

        Assert.Equal(3, updated);
        List<DeadLetterView> replayed = ListAll(store, new DeadLetterQuery { Replayed = true });
        Assert.Equal([ids[1], ids[5], ids[9]], replayed.Select(v => v.Letter.Id));
        Assert.Equal(["accepted", "rejected:invalid_uuid", "duplicate"], replayed.Select(v => v.ReplayOutcome));
        Assert.All(replayed, v => Assert.Equal(at, v.ReplayedAt));
        List<DeadLetterView> notReplayed = ListAll(store, new DeadLetterQuery { Replayed = false });
        Assert.Equal(ids.Except([ids[1], ids[5], ids[9]]), notReplayed.Select(v => v.Letter.Id));
        Assert.All(notReplayed, v => Assert.Null(v.ReplayOutcome));

        // A second replay replaces the first one's outcome.
        store.MarkReplayed([(ids[5], "accepted")], at.AddMinutes(1));
        DeadLetterView again = Assert.Single(store.List(new DeadLetterQuery { Replayed = true, EventId = replayed[1].Letter.EventId }).Items);
        Assert.Equal(ids[5], again.Letter.Id);
        Assert.Equal("accepted", again.ReplayOutcome);
        Assert.Equal(at.AddMinutes(1), again.ReplayedAt);
    }

    [Fact]
    public void Reopen_KeepsLettersReplayStateCountersAndIds()
    {
        using var dir = new TempDirectory();
        List<DeadLetterView> before;
        long count, bytes;
        using (DeadLetterStore store = DeadLetterStore.Open(Options(dir.Path)))
        {
            store.Add(Letters(0, 300));
            store.Add(Letters(300, 200));
            before = ListAll(store, new DeadLetterQuery { Limit = 1000 });
            store.MarkReplayed([(before[7].Letter.Id, "accepted")], Epoch);
            before = ListAll(store, new DeadLetterQuery { Limit = 1000 });
            (count, bytes) = (store.Count, store.TotalBytes);
        }

        using (DeadLetterStore store = DeadLetterStore.Open(Options(dir.Path)))
        {
            Assert.Equal(500, store.Count);
            Assert.Equal(count, store.Count);
            Assert.Equal(bytes, store.TotalBytes);
            List<DeadLetterView> after = ListAll(store, new DeadLetterQuery { Limit = 1000 });
            Assert.Equal(before.Count, after.Count);
            for (int i = 0; i < before.Count; i++)
            {
                Assert.Equal(before[i].Letter.Id, after[i].Letter.Id);
                AssertSameLetter(before[i].Letter, after[i].Letter);
                Assert.Equal(before[i].ReplayedAt, after[i].ReplayedAt);
                Assert.Equal(before[i].ReplayOutcome, after[i].ReplayOutcome);
            }
            Assert.Equal("accepted", after[7].ReplayOutcome);

            // Re-adding what was there before the restart still adds nothing.
            Assert.Equal(0, store.Add(Letters(0, 500)));
            Assert.Equal(1, store.Add(Letters(500, 1)));
            Assert.True(ListAll(store, new DeadLetterQuery { Limit = 1000 })[^1].Letter.Id > before[^1].Letter.Id);
        }
    }

    [Fact]
    public void Add_NullField_ThrowsBeforeWritingAnything()
    {
        using var dir = new TempDirectory();
        using DeadLetterStore store = DeadLetterStore.Open(Options(dir.Path));
        DeadLetter[] letters = Letters(0, 3);
        letters[2] = letters[2] with { Code = null! };

        Assert.Throws<ArgumentNullException>(() => store.Add(letters));
        Assert.Equal(0, store.Count);
        Assert.Empty(store.List(new DeadLetterQuery()).Items);
    }

    private static long SizeOf(DeadLetter letter) => letter.Event.Length + TextAndOverhead(letter);

    private static long TextAndOverhead(DeadLetter l) =>
        System.Text.Encoding.UTF8.GetByteCount(l.TenantId + l.EventId + l.Code + l.Message + l.ProducerId) + 256;
}
