namespace AnalyticsHub.Server.Tests.Storage;

/// <summary>The exactly-once check every store's contents reader shares.</summary>
internal static class StoredIds
{
    /// <summary>
    /// Fails naming the expected ids that are missing, every id stored more than once, and (with
    /// <paramref name="complete"/>) ids in the store that were never expected — the first ten of each.
    /// </summary>
    public static void AssertEachOnce<TId>(Dictionary<TId, int> stored, IReadOnlyCollection<TId> expected, string what, string storeName, bool complete = false)
        where TId : notnull
    {
        var expectedSet = expected as IReadOnlySet<TId> ?? expected.ToHashSet();
        var missing = expectedSet.Where(id => stored.GetValueOrDefault(id) == 0).ToList();
        var repeated = stored.Where(e => e.Value > 1).ToList();
        var unexpected = complete ? stored.Keys.Where(id => !expectedSet.Contains(id)).ToList() : [];
        Assert.True(missing.Count == 0 && repeated.Count == 0 && unexpected.Count == 0,
            $"{what}: {expectedSet.Count:N0} expected, {stored.Count:N0} distinct in {storeName} ({stored.Values.Sum():N0} rows); " +
            $"{missing.Count:N0} missing (first 10: [{string.Join(", ", missing.Take(10))}]); " +
            $"{repeated.Count:N0} repeated (first 10: [{string.Join(", ", repeated.Take(10).Select(e => $"{e.Key}×{e.Value}"))}]); " +
            $"{unexpected.Count:N0} never sent or not acknowledged (first 10: [{string.Join(", ", unexpected.Take(10))}])");
    }
}
