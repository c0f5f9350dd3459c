using AnalyticsHub.Core.Ingestion;

namespace AnalyticsHub.Core.Tests.Ingestion;

/// <summary>
/// The open-addressing table against a dictionary model: deletion and the generation sweep both
/// move entries around inside probe clusters, and a mistake there loses ids silently.
/// </summary>
public sealed class EventIdTableTests
{
    [Theory]
    [InlineData(1, 10)]
    [InlineData(8, 5)]
    [InlineData(300, 4)]
    [InlineData(300, 2)]
    [InlineData(5_000, 4)]
    public void AddRemoveAndSweep_MatchAModel(int maxEntries, int generations)
    {
        var random = new Random(maxEntries * 31 + generations);
        var hasher = EventIdHasher.CreateRandom();
        var table = new EventIdTable(hasher, initialCapacity: 4, maxEntries);
        var model = new Dictionary<(ulong, ulong, ulong), byte>();
        var removed = new List<EventIdKey>();
        byte stamp = 0;

        for (int round = 0; round < 200; round++)
        {
            // Fill up to the bound, with a few tenants so the same UUID recurs under several.
            while (model.Count < maxEntries)
            {
                var key = new EventIdKey(Narrow(random), Narrow(random), ((ulong)random.Next(3) << 20) | 1);
                uint hash = (uint)hasher.Hash(key);
                int found = table.Find(key, hash);
                Assert.Equal(model.ContainsKey(Id(key)), found >= 0);
                if (found < 0)
                {
                    table.Add(key.WithStamp(stamp), hash, random.Next(2) == 0 ? ~found : -1);
                    model.Add(Id(key), stamp);
                }
            }

            // Remove some at random (Knuth's backward shift).
            foreach (var id in model.Keys.Where(_ => random.Next(8) == 0).ToList())
            {
                var key = new EventIdKey(id.Item1, id.Item2, id.Item3);
                Assert.Equal(model[id], table.Remove(key, (uint)hasher.Hash(key)));
                Assert.Equal(-1, table.Remove(key, (uint)hasher.Hash(key)));
                model.Remove(id);
                removed.Add(key);
            }

            // A new generation: sweep out the ones that fall out of the newest `generations`.
            stamp++;
            var stale = model.Where(e => (byte)(stamp - e.Value) >= generations).Select(e => e.Key).ToList();
            Assert.Equal(stale.Count, table.RemoveStale(stamp, generations));
            foreach (var id in stale)
            {
                model.Remove(id);
                removed.Add(new EventIdKey(id.Item1, id.Item2, id.Item3));
            }

            Assert.Equal(model.Count, table.Count);
            foreach (var id in model.Keys)
            {
                var key = new EventIdKey(id.Item1, id.Item2, id.Item3);
                Assert.True(table.Find(key, (uint)hasher.Hash(key)) >= 0);
            }

            foreach (var key in removed.Where(k => !model.ContainsKey(Id(k))))
            {
                Assert.True(table.Find(key, (uint)hasher.Hash(key)) < 0);
            }

            removed.Clear();
        }
    }

    [Fact]
    public void SameIdStampedDifferently_IsTheSameId()
    {
        var a = new EventIdKey(1, 2, 0xABCD_0000, stamp: 3);
        Assert.True(a.SameId(a.WithStamp(200)));
        Assert.Equal(200, a.WithStamp(200).Stamp);
        Assert.Equal(a.Tenant, a.WithStamp(200).Tenant);
        Assert.False(a.SameId(new EventIdKey(1, 2, 0xABCE_0000)));
        Assert.False(a.SameId(new EventIdKey(1, 3, 0xABCD_0000)));
        Assert.False(new EventIdKey(0, 0, 0).IsEmpty); // the forced tenant bit: never mistaken for an empty slot
    }

    // Few distinct values so clusters form and the same UUID halves recur.
    private static ulong Narrow(Random random) => (ulong)random.Next(1 << 12) * 0x0101_0101_0101_0101;

    private static (ulong, ulong, ulong) Id(in EventIdKey key) => (key.High, key.Low, key.Tenant);
}
