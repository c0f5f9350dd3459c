using AnalyticsHub.Core.Events;
using AnalyticsHub.Storage.DeadLetters;
using AnalyticsHub.Storage.Tests.Wal;
using static AnalyticsHub.Storage.Tests.DeadLetters.DeadLetterTestKit;

namespace AnalyticsHub.Storage.Tests.DeadLetters;

public sealed class DeadLetterQueryTests : IDisposable
{
    private const int Rows = 240;
    private readonly TempDirectory _dir = new();
    private readonly DeadLetterStore _store;
    private readonly DeadLetter[] _letters = Letters(0, Rows);

    public DeadLetterQueryTests()
    {
        _store = DeadLetterStore.Open(Options(_dir.Path));
        _store.Add(_letters);
        // Replay every 7th letter, so the Replayed filter has both kinds to split.
        long[] ids = ListAll(_store, new DeadLetterQuery { Limit = 1000 }).Select(v => v.Letter.Id).ToArray();
        _store.MarkReplayed(ids.Where((_, i) => i % 7 == 0).Select(id => (id, "accepted")).ToArray(), Epoch);
    }

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }

    public static TheoryData<string> Filters() => [.. FilterCases.Keys];

    private static readonly Dictionary<string, (DeadLetterQuery Query, Func<long, bool> Expected)> FilterCases = new()
    {
        ["tenant"] = (new() { TenantId = "tenant-1" }, n => n % 3 == 1),
        ["code"] = (new() { Code = "code_2" }, n => n % 4 == 2),
        ["source"] = (new() { SourceModule = SourceModule.LlmCostOps }, n => n % 6 + 1 == 3),
        ["event id"] = (new() { EventId = "00000000-0000-4000-8000-000000000117" }, n => n == 117),
        ["producer"] = (new() { ProducerId = "producer-4" }, n => n % 5 == 4),
        ["from"] = (new() { From = Epoch.AddSeconds(200) }, n => n >= 200),
        ["to"] = (new() { To = Epoch.AddSeconds(30) }, n => n < 30),
        ["replayed"] = (new() { Replayed = true }, n => n % 7 == 0),
        ["not replayed"] = (new() { Replayed = false }, n => n % 7 != 0),
        ["no match"] = (new() { Code = "no_such_code" }, _ => false),
        ["injection is a value"] = (new() { TenantId = "x' OR '1'='1" }, _ => false),
        ["tenant+code"] = (new() { TenantId = "tenant-0", Code = "code_1" }, n => n % 3 == 0 && n % 4 == 1),
        ["all"] = (new()
        {
            TenantId = "tenant-2",
            Code = "code_1",
            SourceModule = SourceModule.LlmPolicyEngine,
            ProducerId = "producer-0",
            From = Epoch.AddSeconds(5),
            To = Epoch.AddSeconds(239),
            Replayed = false,
        }, n => n % 3 == 2 && n % 4 == 1 && n % 6 + 1 == 6 && n % 5 == 0 && n >= 5 && n < 239 && n % 7 != 0),
        ["time window+source"] = (new() { From = Epoch.AddSeconds(60), To = Epoch.AddSeconds(120), SourceModule = SourceModule.LlmPolicyEngine },
            n => n >= 60 && n < 120 && n % 6 + 1 == 6),
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public void List_Filter_ReturnsExactlyTheMatchingLettersInOrder(string name)
    {
        (DeadLetterQuery query, Func<long, bool> expected) = FilterCases[name];
        long[] want = Enumerable.Range(0, Rows).Select(i => (long)i).Where(expected).ToArray();

        // A small page size, so filtered paging crosses pages too.
        List<DeadLetterView> got = ListAll(_store, query with { Limit = 7 });

        Assert.Equal(want, got.Select(v => Number(v.Letter)));
        foreach (DeadLetterView view in got)
        {
            AssertSameLetter(_letters[Number(view.Letter)], view.Letter);
        }
        if (name is not "no match" and not "injection is a value")
        {
            Assert.NotEmpty(want); // the case is not vacuous
        }
    }

    [Fact]
    public void List_CursorPagination_2500RowsLimit1000_EveryRowOnceInOrder()
    {
        using var dir = new TempDirectory();
        using DeadLetterStore store = DeadLetterStore.Open(Options(dir.Path));
        store.Add(Letters(0, 2_500, eventBytes: 16));

        var pages = new List<DeadLetterPage>();
        var query = new DeadLetterQuery { Limit = 1000 };
        do
        {
            pages.Add(store.List(query));
            query = query with { Cursor = pages[^1].NextCursor };
        }
        while (query.Cursor is not null);

        Assert.Equal([1000, 1000, 500], pages.Select(p => p.Items.Count));
        long[] numbers = pages.SelectMany(p => p.Items).Select(v => Number(v.Letter)).ToArray();
        Assert.Equal(Enumerable.Range(0, 2_500).Select(i => (long)i), numbers);
        long[] ids = pages.SelectMany(p => p.Items).Select(v => v.Letter.Id).ToArray();
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(2_500, ids.Distinct().Count());
    }

    [Fact]
    public void List_ExactMultipleOfLimit_LastPageHasNoCursor()
    {
        DeadLetterPage first = _store.List(new DeadLetterQuery { Limit = Rows / 2 });
        DeadLetterPage second = _store.List(new DeadLetterQuery { Limit = Rows / 2, Cursor = first.NextCursor });

        Assert.NotNull(first.NextCursor);
        Assert.Equal(Rows / 2, second.Items.Count);
        Assert.Null(second.NextCursor);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("")]
    [InlineData("!!!!")]
    [InlineData("AQAAAAAAAAAAAAAA")] // right length and version, wrong check value
    [InlineData("AAAAAAAAAAAAAAAA")] // wrong version
    [InlineData("AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void List_GarbageCursor_ThrowsArgumentExceptionNamingTheCursor(string cursor)
    {
        var e = Assert.Throws<ArgumentException>(() => _store.List(new DeadLetterQuery { Cursor = cursor }));
        Assert.Contains("cursor is invalid", e.Message, StringComparison.Ordinal);
        Assert.Equal(nameof(DeadLetterQuery.Cursor), e.ParamName);
    }

    [Fact]
    public void List_TamperedCursor_IsRejected()
    {
        string cursor = _store.List(new DeadLetterQuery { Limit = 10 }).NextCursor!;
        char[] chars = cursor.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            char original = chars[i];
            chars[i] = original == 'B' ? 'C' : 'B';
            Assert.Throws<ArgumentException>(() => _store.List(new DeadLetterQuery { Cursor = new string(chars) }));
            chars[i] = original;
        }
        Assert.Equal(10, _store.List(new DeadLetterQuery { Limit = 10, Cursor = new string(chars) }).Items.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1001)]
    public void List_LimitOutside1To1000_Throws(int limit)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _store.List(new DeadLetterQuery { Limit = limit }));
        Assert.Equal(nameof(DeadLetterQuery.Limit), e.ParamName);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    public void List_LimitAtBounds_ReturnsThatManyAtMost(int limit)
    {
        DeadLetterPage page = _store.List(new DeadLetterQuery { Limit = limit });

        Assert.Equal(Math.Min(limit, Rows), page.Items.Count);
        Assert.Equal(limit < Rows, page.NextCursor is not null);
    }
}
