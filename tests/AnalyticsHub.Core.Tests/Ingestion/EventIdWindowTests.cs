using AnalyticsHub.Core.Ingestion;

namespace AnalyticsHub.Core.Tests.Ingestion;

public sealed class EventIdWindowTests
{
    private const long Second = 1_000_000_000;
    private const long T0 = 1_000 * Second;

    private static readonly byte[] Tenant = "default"u8.ToArray();

    private static EventIdWindow Window(int seconds = 300, int maxEntries = 4_000_000, int generations = 4) =>
        new(new EventIdWindowOptions { Window = TimeSpan.FromSeconds(seconds), MaxEntries = maxEntries, Generations = generations });

    private static byte[] Id(ulong n) => UuidText.Of(0x0123_4567_89ab_4cde ^ (n * 0x9E37_79B9_7F4A_7C15), 0x8000_0000_0000_0000 | n);

    [Fact]
    public void Defaults_AreFiveMinutes_FourMillionEntries()
    {
        var options = new EventIdWindowOptions();
        Assert.Equal(TimeSpan.FromMinutes(5), options.Window);
        Assert.Equal(4_000_000, options.MaxEntries);
        Assert.Equal(0, new EventIdWindow(options).Count);
    }

    [Fact]
    public void FirstSighting_IsNew_RepeatIsDuplicate()
    {
        var window = Window();
        Assert.True(window.TryAdd(Id(1), Tenant, T0));
        Assert.False(window.TryAdd(Id(1), Tenant, T0 + 1));
        Assert.True(window.TryAdd(Id(2), Tenant, T0 + 2));
        Assert.Equal(2, window.Count);
    }

    [Fact]
    public void Prefetch_ChangesNothing()
    {
        var window = Window();
        Assert.True(window.TryAdd(Id(1), Tenant, T0));

        window.Prefetch(Id(1), Tenant);
        window.Prefetch(Id(2), Tenant);
        window.Prefetch("not-a-uuid"u8, Tenant);

        Assert.Equal(1, window.Count);
        Assert.False(window.TryAdd(Id(1), Tenant, T0 + 1)); // still a duplicate
        Assert.True(window.TryAdd(Id(2), Tenant, T0 + 2)); // prefetched, never added: still new
    }

    [Fact]
    public void SameUuid_InDifferentTenants_AreDifferentIds()
    {
        var window = Window();
        Assert.True(window.TryAdd(Id(1), "tenant-a"u8, T0));
        Assert.True(window.TryAdd(Id(1), "tenant-b"u8, T0));
        Assert.True(window.TryAdd(Id(1), ""u8, T0));
        Assert.False(window.TryAdd(Id(1), "tenant-b"u8, T0));
    }

    [Fact]
    public void UpperAndLowerCaseUuidText_AreTheSameId()
    {
        var window = Window();
        Assert.True(window.TryAdd("550e8400-e29b-41d4-a716-446655440000"u8, Tenant, T0));
        Assert.False(window.TryAdd("550E8400-E29B-41D4-A716-446655440000"u8, Tenant, T0));
        Assert.True(window.TryAdd(UuidText.Of(0xABCD_EF01, 0xFEDC_BA98, upperCase: true), Tenant, T0));
        Assert.False(window.TryAdd(UuidText.Of(0xABCD_EF01, 0xFEDC_BA98), Tenant, T0));
    }

    [Fact]
    public void UnparsableId_IsNew_AndNotRemembered()
    {
        var window = Window();
        Assert.True(window.TryAdd("not-a-uuid"u8, Tenant, T0));
        Assert.True(window.TryAdd("not-a-uuid"u8, Tenant, T0));
        Assert.Equal(0, window.Count);
        window.Remove("not-a-uuid"u8, Tenant); // no effect, no throw
    }

    [Fact]
    public void Remove_MakesTheIdNewAgain()
    {
        var window = Window();
        Assert.True(window.TryAdd(Id(1), Tenant, T0));
        window.Remove(Id(1), Tenant);
        Assert.Equal(0, window.Count);
        Assert.True(window.TryAdd(Id(1), Tenant, T0));
        window.Remove(Id(99), Tenant); // never added: no effect
        Assert.Equal(1, window.Count);
    }

    [Fact]
    public void Remove_KeepsEveryOtherIdFindable()
    {
        // Small table and many ids so probe clusters form and removal has to shift entries back.
        var window = Window(maxEntries: 4 * 64);
        for (ulong n = 0; n < 40; n++)
        {
            Assert.True(window.TryAdd(Id(n), Tenant, T0));
        }

        for (ulong n = 0; n < 40; n += 3)
        {
            window.Remove(Id(n), Tenant);
        }

        for (ulong n = 0; n < 40; n++)
        {
            Assert.Equal(n % 3 == 0, window.TryAdd(Id(n), Tenant, T0));
        }

        Assert.Equal(0, window.EarlyRotations);
    }

    [Fact]
    public void Expire_BeforeTheWindowEnds_ForgetsNothing()
    {
        var window = Window(seconds: 300);
        Assert.True(window.TryAdd(Id(1), Tenant, T0));
        window.Expire(T0 + (299 * Second));
        Assert.Equal(1, window.Count);
        Assert.False(window.TryAdd(Id(1), Tenant, T0 + (299 * Second)));
    }

    [Fact]
    public void IdOlderThanTheWindow_IsNewAgain()
    {
        var window = Window(seconds: 300);
        Assert.True(window.TryAdd(Id(1), Tenant, T0));
        // Forgotten within Window × G/(G−1) = 400 s for the default 4 generations.
        Assert.True(window.TryAdd(Id(1), Tenant, T0 + (400 * Second)));
        Assert.Equal(1, window.Count);
    }

    [Fact]
    public void LongIdleGap_ForgetsEverything()
    {
        var window = Window(seconds: 300);
        for (ulong n = 0; n < 100; n++)
        {
            window.TryAdd(Id(n), Tenant, T0);
        }

        Assert.True(window.TryAdd(Id(5), Tenant, T0 + (86_400 * Second)));
        // Only the stripe of id 5 has moved on so far; Expire moves the others.
        window.Expire(T0 + (86_400 * Second));
        Assert.Equal(1, window.Count);
        for (ulong n = 0; n < 100; n++)
        {
            Assert.Equal(n != 5, window.TryAdd(Id(n), Tenant, T0 + (86_400 * Second)));
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(16)]
    public void IdInsideTheWindow_AfterRotations_IsStillDuplicate(int generations)
    {
        var window = Window(seconds: 300, generations: generations);
        Assert.True(window.TryAdd(Id(1), Tenant, T0));
        // Traffic every second rotates every generation through; the id is a duplicate to the last nanosecond.
        for (long s = 1; s < 300; s++)
        {
            Assert.True(window.TryAdd(Id((ulong)(1000 + s)), Tenant, T0 + (s * Second)));
            Assert.False(window.TryAdd(Id(1), Tenant, T0 + (s * Second)));
        }

        Assert.False(window.TryAdd(Id(1), Tenant, T0 + (300 * Second) - 1));
        Assert.Equal(0, window.EarlyRotations);
    }

    [Fact]
    public void ClockReadingsFromRacingCallers_ThatGoBackwards_ChangeNothing()
    {
        var window = Window(seconds: 300);
        Assert.True(window.TryAdd(Id(1), Tenant, T0));
        Assert.True(window.TryAdd(Id(2), Tenant, T0 - (1_000 * Second)));
        Assert.False(window.TryAdd(Id(1), Tenant, T0 - (1_000 * Second)));
        Assert.False(window.TryAdd(Id(1), Tenant, T0 + (299 * Second)));
    }

    [Fact]
    public void MaxEntriesReached_RotatesEarly_NeverExceedsBound_NeverInventsDuplicates()
    {
        const int maxEntries = 1_000;
        var window = Window(maxEntries: maxEntries);
        var random = new Random(42);
        var seen = new HashSet<(ulong, ulong)>();
        for (int i = 0; i < 1_000_000; i++)
        {
            ulong high = (ulong)random.NextInt64(), low = (ulong)random.NextInt64();
            if (!seen.Add((high, low)))
            {
                continue; // keep the ids distinct
            }

            Assert.True(window.TryAdd(UuidText.Of(high, low), Tenant, T0));
            Assert.True(window.Count <= maxEntries);
        }

        Assert.True(window.EarlyRotations > 0);
        Assert.True(window.Count > maxEntries / 2, $"count {window.Count}");
    }

    [Fact]
    public void AfterEarlyRotations_RecentIdsAreStillDuplicates()
    {
        // 1024 entries: 4 stripes × 4 generations × 64. Each stripe keeps at least its last
        // (G − 1) × 64 ids, so the newest 64 of all (about 16 per stripe) are certainly kept.
        var window = Window(maxEntries: 1_024);
        for (ulong n = 0; n < 10_000; n++)
        {
            Assert.True(window.TryAdd(Id(n), Tenant, T0));
        }

        Assert.True(window.EarlyRotations > 0);
        for (ulong n = 10_000 - 64; n < 10_000; n++)
        {
            Assert.False(window.TryAdd(Id(n), Tenant, T0));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void InvalidWindow_Throws(int seconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Window(seconds: seconds));

    [Theory]
    [InlineData(1, 100)]
    [InlineData(17, 100)]
    [InlineData(4, 3)]
    public void InvalidGenerationsOrBound_Throws(int generations, int maxEntries) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Window(generations: generations, maxEntries: maxEntries));

    [Fact]
    public void TinyBound_StillWorks()
    {
        var window = Window(maxEntries: 4);
        for (ulong n = 0; n < 100; n++)
        {
            Assert.True(window.TryAdd(Id(n), Tenant, T0));
            Assert.False(window.TryAdd(Id(n), Tenant, T0));
            Assert.True(window.Count <= 4);
        }
    }
}
