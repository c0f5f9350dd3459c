using AnalyticsHub.Core.Events;
using AnalyticsHub.Storage.DeadLetters;

namespace AnalyticsHub.Storage.Tests.DeadLetters;

/// <summary>Letters whose every field derives from a number, so a test can check any row it reads.</summary>
internal static class DeadLetterTestKit
{
    public static readonly DateTimeOffset Epoch = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    public static DeadLetterStoreOptions Options(string directory) => new() { Path = Path.Combine(directory, "dlq", "dead-letters.db") };

    /// <summary>Letter number <paramref name="n"/>: WAL record n / 10, index n % 10; fields cycle with different periods.</summary>
    public static DeadLetter Letter(long n, int eventBytes = 64) => new(
        Id: 0,
        ReceivedAt: Epoch.AddSeconds(n).AddTicks(n % 7), // sub-millisecond ticks must survive too
        TenantId: $"tenant-{n % 3}",
        SourceModule: (SourceModule)(n % 6 + 1),
        EventId: $"00000000-0000-4000-8000-{n:D12}",
        Code: $"code_{n % 4}",
        Message: $"rejected éø {n}",
        ProducerId: $"producer-{n % 5}",
        Sequence: ulong.MaxValue - (ulong)(n / 10), // top bit set: checks the uint64 round trip
        Index: (int)(n % 10),
        Event: EventBytes(n, eventBytes),
        WalAddress: 64 + n / 10 * 4096);

    public static DeadLetter[] Letters(long first, int count, int eventBytes = 64) =>
        Enumerable.Range(0, count).Select(i => Letter(first + i, eventBytes)).ToArray();

    public static byte[] EventBytes(long n, int length)
    {
        var bytes = new byte[length];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(n * 31 + i);
        }
        return bytes;
    }

    /// <summary>Every field but the id, which the store assigns.</summary>
    public static void AssertSameLetter(DeadLetter expected, DeadLetter actual)
    {
        Assert.Equal(expected with { Id = actual.Id, Event = actual.Event }, actual);
        Assert.Equal(expected.Event, actual.Event);
        Assert.Equal(TimeSpan.Zero, actual.ReceivedAt.Offset);
    }

    /// <summary>Follows the cursors to the end.</summary>
    public static List<DeadLetterView> ListAll(DeadLetterStore store, DeadLetterQuery query)
    {
        var all = new List<DeadLetterView>();
        DeadLetterPage page = store.List(query);
        all.AddRange(page.Items);
        while (page.NextCursor is not null)
        {
            page = store.List(query with { Cursor = page.NextCursor });
            Assert.NotEmpty(page.Items);
            all.AddRange(page.Items);
        }
        return all;
    }

    /// <summary>The letter number a stored row was made from (its event id ends with it).</summary>
    public static long Number(DeadLetter letter) => long.Parse(letter.EventId.AsSpan(24), System.Globalization.CultureInfo.InvariantCulture);
}
