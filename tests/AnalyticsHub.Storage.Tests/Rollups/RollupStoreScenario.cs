using System.Diagnostics;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Rollups;
using AnalyticsHub.Storage.Stores;
using Xunit.Abstractions;
using static AnalyticsHub.Storage.Tests.Rollups.RollupSamples;

namespace AnalyticsHub.Storage.Tests.Rollups;

/// <summary>
/// The <see cref="IRollupStore"/> contract, run against each real store: each test gets a fresh database
/// (<see cref="OpenAsync"/> opens stores on it, all disposed afterwards).
/// </summary>
public abstract class RollupStoreScenario(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _opened = [];

    /// <summary>The store's name in messages.</summary>
    protected abstract string StoreName { get; }

    /// <summary>A new store on this test's database, for node <paramref name="node"/>, not initialized.</summary>
    protected abstract IRollupStore Create(string node);

    protected ITestOutputHelper Output => output;

    /// <summary>
    /// Whether a row written again with the same key and version but other values leaves the stored one
    /// (the SQL stores' upsert), rather than either of the two (ClickHouse keeps both until a merge and reads
    /// one). A flush position names one flush, so real writes never differ like that.
    /// </summary>
    protected virtual bool KeepsStoredRowOnEqualVersion => true;

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }
    }

    /// <summary>A store for <paramref name="node"/> with its rollup tables initialized.</summary>
    protected async Task<IRollupStore> OpenAsync(string node = "node-a")
    {
        var store = Create(node);
        _opened.Add((IAsyncDisposable)store);
        await store.InitializeRollupsAsync(CancellationToken.None);
        return store;
    }

    [Fact]
    public async Task Write_RowsAndCheckpoint_ReadBackEveryFieldExactly()
    {
        var store = await OpenAsync();
        var rows = Enumerable.Range(0, 40).Select(i => Row(bucket: (BaseSeconds / 60) + i, seed: i)).Concat(EdgeRows()).ToList();

        await store.WriteRollupsAsync(rows, checkpoint: 777, CancellationToken.None);

        Assert.Equal(777, await store.LoadRollupCheckpointAsync(CancellationToken.None));
        var read = new List<RollupRow>();
        foreach (int resolution in (int[])[60, 3600, 86400])
        {
            read.AddRange(await store.ReadRollupsAsync(All("acme", resolution), CancellationToken.None));
        }

        Equal(rows, read);
    }

    [Fact]
    public async Task Checkpoint_NeverWritten_IsZero_ThenFollowsEachFlushEvenWithoutRows()
    {
        var store = await OpenAsync();
        Assert.Equal(0, await store.LoadRollupCheckpointAsync(CancellationToken.None));

        await store.WriteRollupsAsync([Row()], 10, CancellationToken.None);
        Assert.Equal(10, await store.LoadRollupCheckpointAsync(CancellationToken.None));
        await store.WriteRollupsAsync([], 25, CancellationToken.None);
        Assert.Equal(25, await store.LoadRollupCheckpointAsync(CancellationToken.None));
        await store.WriteRollupsAsync([Row(version: 30)], 30, CancellationToken.None);
        Assert.Equal(30, await store.LoadRollupCheckpointAsync(CancellationToken.None));

        // a store opened later (a restart) reads the same
        var restarted = await OpenAsync();
        Assert.Equal(30, await restarted.LoadRollupCheckpointAsync(CancellationToken.None));
    }

    [Fact]
    public async Task MainRow_HigherVersionReplaces_EqualOrLowerDoesNot()
    {
        var store = await OpenAsync();
        var v100 = Row(version: 100, seed: 1);
        await store.WriteRollupsAsync([v100], 100, CancellationToken.None);

        var v200 = Row(version: 200, seed: 2);
        await store.WriteRollupsAsync([v200], 200, CancellationToken.None);
        Equal([v200], await store.ReadRollupsAsync(All("acme"), CancellationToken.None));

        await store.WriteRollupsAsync([Row(version: 150, seed: 3)], 250, CancellationToken.None); // lower: ignored
        Equal([v200], await store.ReadRollupsAsync(All("acme"), CancellationToken.None));
        if (KeepsStoredRowOnEqualVersion)
        {
            await store.WriteRollupsAsync([Row(version: 200, seed: 4)], 260, CancellationToken.None); // equal: the stored row stays
            Equal([v200], await store.ReadRollupsAsync(All("acme"), CancellationToken.None));
        }

        Equal([v200], await store.LoadRollupsAsync(60, 0, CancellationToken.None));

        // two versions of one key in one flush: the higher wins
        var v300 = Row(version: 300, seed: 5);
        await store.WriteRollupsAsync([v300, Row(version: 299, seed: 6)], 300, CancellationToken.None);
        Equal([v300], await store.ReadRollupsAsync(All("acme"), CancellationToken.None));
    }

    [Fact]
    public async Task LateParts_Accumulate_AndAResentPartIsNotDoubled()
    {
        var store = await OpenAsync();
        var main = Row(version: 100, seed: 1);
        var late1 = Row(part: 150, version: 150, seed: 2);
        var late2 = Row(part: 180, version: 180, seed: 3);
        await store.WriteRollupsAsync([main, late1], 150, CancellationToken.None);
        await store.WriteRollupsAsync([late2], 180, CancellationToken.None);
        await store.WriteRollupsAsync([late1, late2], 190, CancellationToken.None); // a retried flush sends them again
        if (KeepsStoredRowOnEqualVersion)
        {
            await store.WriteRollupsAsync([Row(part: 150, version: 150, seed: 99)], 195, CancellationToken.None); // same part, other values: the first stays
        }

        Equal([main, late1, late2], await store.ReadRollupsAsync(All("acme"), CancellationToken.None));
        Equal([main], await store.LoadRollupsAsync(60, 0, CancellationToken.None)); // warm-up loads main rows only
    }

    [Fact]
    public async Task LoadRollups_ReturnsMainRowsOfTheResolutionFromTheGivenTime()
    {
        var store = await OpenAsync();
        long first = BaseSeconds / 60;
        var rows = Enumerable.Range(0, 10).Select(i => Row(bucket: first + i, seed: i)).ToList();
        var otherTenant = Row("globex", bucket: first + 5, seed: 50);
        var hourly = Row(resolution: 3600, bucket: BaseSeconds / 3600, seed: 51);
        await store.WriteRollupsAsync([.. rows, otherTenant, hourly, Row(bucket: first + 9, part: 5, version: 5, seed: 52)], 1, CancellationToken.None);

        // from the start of bucket first+4: buckets 4..9 of both tenants
        Equal([.. rows.Skip(4), otherTenant], await store.LoadRollupsAsync(60, StartNano((first + 4) * 60), CancellationToken.None));
        // from inside bucket first+4: that bucket starts before, so 5..9
        Equal([.. rows.Skip(5), otherTenant], await store.LoadRollupsAsync(60, StartNano((first + 4) * 60) + 1, CancellationToken.None));
        Equal([hourly], await store.LoadRollupsAsync(3600, 0, CancellationToken.None));
        Assert.Empty(await store.LoadRollupsAsync(86400, 0, CancellationToken.None));
    }

    [Fact]
    public async Task ReadRollups_FiltersByTenantResolutionRangeMetricAndEventType()
    {
        var store = await OpenAsync();
        long first = BaseSeconds / 60;
        var latency = Enumerable.Range(0, 6).Select(i => Row(metric: "latency_ms", bucket: first + i, seed: i)).ToList();
        var tokens = Enumerable.Range(0, 6).Select(i => Row(metric: "tokens", bucket: first + i, seed: 10 + i)).ToList();
        var cost = Enumerable.Range(0, 6).Select(i => Row(metric: "usd", bucket: first + i, seed: 20 + i, type: EventType.Cost)).ToList();
        var otherTenant = Row("globex", metric: "latency_ms", bucket: first + 2, seed: 30);
        var hourly = Row(metric: "latency_ms", resolution: 3600, bucket: BaseSeconds / 3600, seed: 31);
        await store.WriteRollupsAsync([.. latency, .. tokens, .. cost, otherTenant, hourly], 1, CancellationToken.None);

        long start = StartNano((first + 1) * 60), end = StartNano((first + 4) * 60);
        Task<IReadOnlyList<RollupRow>> Read(string? metric, EventType? type, long from = 0, long to = 0, string tenant = "acme") =>
            store.ReadRollupsAsync(new RollupReadRequest(tenant, 60, from == 0 ? start : from, to == 0 ? end : to, metric, type), CancellationToken.None);

        // [start, end): buckets 1, 2, 3 — the bucket starting at `end` is out
        Equal(latency.Skip(1).Take(3), await Read("latency_ms", null));
        Equal(latency.Skip(1).Take(3), await Read("latency_ms", EventType.Cost)); // a metric wins over the event type
        Equal([.. tokens.Skip(1).Take(3), .. latency.Skip(1).Take(3)], await Read(null, EventType.Telemetry));
        Equal(cost.Skip(1).Take(3), await Read(null, EventType.Cost));
        Equal([.. latency.Skip(1).Take(3), .. tokens.Skip(1).Take(3), .. cost.Skip(1).Take(3)], await Read(null, null));
        // a start inside a bucket leaves that bucket out; an end inside one takes it in
        Equal(latency.Skip(2).Take(3), await Read("latency_ms", null, from: start + 1, to: end + 1));
        Equal([otherTenant], await Read(null, null, tenant: "globex"));
        Assert.Empty(await Read("no_such_metric", null));
        Assert.Empty(await Read(null, EventType.Security));
        Assert.Empty(await Read(null, null, tenant: "ACME"));
        Equal([hourly], await store.ReadRollupsAsync(All("acme", 3600), CancellationToken.None));
    }

    [Fact]
    public async Task ReadRollups_NeverReturnsCheckpointData_EvenForTheEmptyTenant()
    {
        var store = await OpenAsync();
        var emptyTenant = Row(tenant: "", metric: "", seriesKey: "", seed: 3);
        await store.WriteRollupsAsync([emptyTenant], 5, CancellationToken.None);
        await store.WriteRollupsAsync([], 6, CancellationToken.None);

        Equal([emptyTenant], await store.ReadRollupsAsync(All(""), CancellationToken.None));
        Equal([emptyTenant], await store.ReadRollupsAsync(All("") with { Metric = "" }, CancellationToken.None));
        foreach (int resolution in (int[])[3600, 86400])
        {
            Assert.Empty(await store.ReadRollupsAsync(All("", resolution), CancellationToken.None));
        }

        Equal([emptyTenant], await store.LoadRollupsAsync(60, long.MinValue / 2, CancellationToken.None));
    }

    [Fact]
    public async Task HostileText_RoundTripsAndFiltersExactly()
    {
        var store = await OpenAsync();
        var rows = new List<RollupRow>();
        for (int i = 0; i < HostileTexts.Length; i++)
        {
            for (int j = 0; j < HostileTexts.Length; j++)
            {
                rows.Add(Row(tenant: HostileTexts[i], metric: HostileTexts[j], seriesKey: HostileTexts[(i + j) % HostileTexts.Length], seed: (i * 100) + j));
            }
        }

        await store.WriteRollupsAsync(rows, 1, CancellationToken.None);

        for (int i = 0; i < HostileTexts.Length; i++)
        {
            string tenant = HostileTexts[i];
            Equal(rows.Where(r => r.TenantId == tenant), await store.ReadRollupsAsync(All(tenant), CancellationToken.None));
            for (int j = 0; j < HostileTexts.Length; j += 3)
            {
                Equal([rows[(i * HostileTexts.Length) + j]], await store.ReadRollupsAsync(All(tenant) with { Metric = HostileTexts[j] }, CancellationToken.None));
            }
        }

        Equal(rows, await store.LoadRollupsAsync(60, 0, CancellationToken.None));
        Assert.Empty(await store.ReadRollupsAsync(All("acme\0"), CancellationToken.None));
    }

    [Fact]
    public async Task InvalidRows_AreRefusedBeforeAnythingIsWritten()
    {
        var store = await OpenAsync();
        await store.WriteRollupsAsync([Row(seed: 1)], 10, CancellationToken.None);
        RollupRow[][] refused =
        [
            [Row(seed: 2, bucket: 1), Row(version: -1)],
            [Row(seed: 2, bucket: 1), Row(part: -3)],
            [Row(seed: 2, bucket: 1), Row() with { ResolutionSeconds = 120 }],
            [Row(seed: 2, bucket: 1), Row(tenant: "nul\0tenant")],
            [Row(seed: 2, bucket: 1), Row(seriesKey: "{\"a\":\"\0\"}")],
        ];
        foreach (var rows in refused)
        {
            var e = await Assert.ThrowsAsync<StoreRejectedException>(() => store.WriteRollupsAsync(rows, 20, CancellationToken.None));
            Assert.Contains("row 1 of 2", e.Message, StringComparison.Ordinal);
        }

        await Assert.ThrowsAsync<StoreRejectedException>(() => store.WriteRollupsAsync([Row(seed: 3)], -1, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.ReadRollupsAsync(All("acme", 61), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.LoadRollupsAsync(0, 0, CancellationToken.None));
        Assert.Equal(10, await store.LoadRollupCheckpointAsync(CancellationToken.None));
        Equal([Row(seed: 1)], await store.ReadRollupsAsync(All("acme"), CancellationToken.None));
    }

    [Fact]
    public async Task LargeFlush_50000Rows_IsStoredWhole_AndReplacedWholeByTheNext()
    {
        var store = await OpenAsync();
        const int Count = 50_000;
        var first = LargeFlush(Count, version: 1000);
        await store.WriteRollupsAsync([Row(seed: 0)], 1, CancellationToken.None); // warm: connections, statements

        var watch = Stopwatch.StartNew();
        await store.WriteRollupsAsync(first, 1000, CancellationToken.None);
        watch.Stop();
        Output.WriteLine($"{StoreName}: one flush of {Count:N0} rollup rows in {watch.Elapsed.TotalMilliseconds:F0} ms = {Count / watch.Elapsed.TotalSeconds:N0} rows/s");

        Assert.Equal(1000, await store.LoadRollupCheckpointAsync(CancellationToken.None));
        var read = await store.ReadRollupsAsync(All("big"), CancellationToken.None);
        Equal(first, read);

        var second = LargeFlush(Count, version: 2000);
        watch.Restart();
        await store.WriteRollupsAsync(second, 2000, CancellationToken.None);
        watch.Stop();
        Output.WriteLine($"{StoreName}: replacing all {Count:N0} rows in {watch.Elapsed.TotalMilliseconds:F0} ms = {Count / watch.Elapsed.TotalSeconds:N0} rows/s");
        Equal(second, await store.ReadRollupsAsync(All("big"), CancellationToken.None));
        Assert.Equal(2000, await store.LoadRollupCheckpointAsync(CancellationToken.None));
    }

    [Fact]
    public async Task DeleteOlderThan_RemovesBucketsStartingBeforeTheCutoff_OfThatResolutionOnly()
    {
        var store = await OpenAsync();
        long minute = BaseSeconds / 60;
        var minutes = Enumerable.Range(0, 10).Select(i => Row(bucket: minute + i, seed: i)).ToList();
        var lateOld = Row(bucket: minute + 1, part: 7, version: 7, seed: 20);
        var hours = Enumerable.Range(0, 3).Select(i => Row(resolution: 3600, bucket: (BaseSeconds / 3600) - 1 + i, seed: 30 + i)).ToList();
        await store.WriteRollupsAsync([.. minutes, lateOld, .. hours], 50, CancellationToken.None);

        // the cutoff is the start of minute+4, plus 30 s: minute+4 starts before it and goes
        var cutoff = DateTimeOffset.FromUnixTimeSeconds(((minute + 4) * 60) + 30);
        await store.DeleteRollupsOlderThanAsync(60, cutoff, CancellationToken.None);

        Equal(minutes.Skip(5), await store.ReadRollupsAsync(All("acme"), CancellationToken.None));
        Equal(hours, await store.ReadRollupsAsync(All("acme", 3600), CancellationToken.None));
        Assert.Equal(50, await store.LoadRollupCheckpointAsync(CancellationToken.None));

        // a cutoff exactly at a bucket start keeps that bucket
        await store.DeleteRollupsOlderThanAsync(3600, DateTimeOffset.FromUnixTimeSeconds(BaseSeconds), CancellationToken.None);
        Equal(hours.Skip(1), await store.ReadRollupsAsync(All("acme", 3600), CancellationToken.None));
        Assert.Equal(50, await store.LoadRollupCheckpointAsync(CancellationToken.None));
    }

    [Fact]
    public async Task InitializeRollups_IsIdempotent_AndSafeBesideAnotherStoreInitializing()
    {
        var one = Create("node-a");
        var two = Create("node-a");
        _opened.Add((IAsyncDisposable)one);
        _opened.Add((IAsyncDisposable)two);
        var events = (IEventStore)two;

        await Task.WhenAll(one.InitializeRollupsAsync(CancellationToken.None), two.InitializeRollupsAsync(CancellationToken.None), events.InitializeAsync(CancellationToken.None));
        await one.InitializeRollupsAsync(CancellationToken.None);
        await one.WriteRollupsAsync([Row()], 3, CancellationToken.None);
        Equal([Row()], await two.ReadRollupsAsync(All("acme"), CancellationToken.None));
    }

    /// <summary><paramref name="count"/> main rows over 500 series × 100 minutes of tenant "big", with small sketches.</summary>
    protected static List<RollupRow> LargeFlush(int count, long version)
    {
        var rows = new List<RollupRow>(count);
        var random = new Random((int)version);
        for (int i = 0; i < count; i++)
        {
            var sketch = new byte[64];
            random.NextBytes(sketch);
            rows.Add(new RollupRow
            {
                TenantId = "big",
                Metric = "m" + (i % 10),
                SeriesKey = $"{{\"metric\":\"m{i % 10}\",\"model\":\"gpt-{i % 500}\"}}",
                SourceModule = SourceModule.LlmObservatory,
                EventType = EventType.Telemetry,
                ResolutionSeconds = 60,
                Bucket = (BaseSeconds / 60) + (i / 500),
                Stats = new BucketStats((ulong)(i + 1), i * 1.5, i * 2.25, i, i + 0.5),
                Tokens = i,
                Errors = (ulong)(i % 3),
                Sketch = sketch,
                Version = version,
            });
        }

        return rows;
    }
}

/// <summary>The parts of the contract only a store shared by several nodes has.</summary>
public abstract class SharedRollupStoreScenario(ITestOutputHelper output) : RollupStoreScenario(output)
{
    [Fact]
    public async Task TwoNodes_ReadSeesBoth_LoadAndCheckpointAreEachNodesOwn()
    {
        var a = await OpenAsync("node-a");
        var b = await OpenAsync("node-b");
        var rowA = Row(version: 100, seed: 1);
        var rowB = Row(version: 50, seed: 2); // same key, other node, lower version: both kept
        var lateB = Row(part: 60, version: 60, seed: 3);
        await a.WriteRollupsAsync([rowA], 100, CancellationToken.None);
        await b.WriteRollupsAsync([rowB, lateB], 60, CancellationToken.None);

        var read = await a.ReadRollupsAsync(All("acme"), CancellationToken.None);
        Assert.Equal(3, read.Count); // rowA and rowB share a key: compared in version order
        Assert.Equal(
            new[] { Value(rowB), Value(lateB), Value(rowA) }.Select(v => v.ToString()),
            read.OrderBy(r => r.Version).Select(r => Value(r).ToString()));

        Equal([rowA], await a.LoadRollupsAsync(60, 0, CancellationToken.None));
        Equal([rowB], await b.LoadRollupsAsync(60, 0, CancellationToken.None));
        Assert.Equal(100, await a.LoadRollupCheckpointAsync(CancellationToken.None));
        Assert.Equal(60, await b.LoadRollupCheckpointAsync(CancellationToken.None));

        // a newer version from node B replaces B's row only
        var rowB2 = Row(version: 70, seed: 4);
        await b.WriteRollupsAsync([rowB2], 70, CancellationToken.None);
        Assert.Equal(
            new[] { Value(lateB), Value(rowB2), Value(rowA) }.Select(v => v.ToString()),
            (await b.ReadRollupsAsync(All("acme"), CancellationToken.None)).OrderBy(r => r.Version).Select(r => Value(r).ToString()));
    }
}
