using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Rollups;
using AnalyticsHub.Storage.Stores;

namespace AnalyticsHub.Storage.Tests.Rollups;

/// <summary>Rollup rows for store tests, and comparing them by value (a record compares its sketch array by reference).</summary>
internal static class RollupSamples
{
    /// <summary>2026-01-01T00:00:00Z in Unix seconds: bucket numbers of the samples are around it.</summary>
    public const long BaseSeconds = 1_767_225_600;

    public static readonly string[] HostileTexts =
    [
        "'; DROP TABLE x; --",
        "quote ' double \" back \\ slash \\' \\\\ end\\",
        "line\nbreak\r\ncarriage\ttab\u000b\u000c\u0001\u001f\u007f",
        "unicode: é ß 漢字 عربي ‮rtl‬ e\u0301 🦀👩‍💻",
        "%_*?[]{}()$1 ?1 :name @p \\x41 \\0 \\N NULL",
        "Code: 53, e.displayText() = DB::Exception: fake\n",
        "",
        new string('w', 10_000),
    ];

    /// <summary>A row of <paramref name="resolution"/> seconds at bucket <paramref name="bucket"/>, values derived from <paramref name="seed"/>.</summary>
    public static RollupRow Row(
        string tenant = "acme", string metric = "latency_ms", int resolution = 60, long bucket = BaseSeconds / 60,
        long part = 0, long version = 100, int seed = 1, string? seriesKey = null, EventType type = EventType.Telemetry,
        SourceModule module = SourceModule.LlmObservatory)
    {
        var random = new Random(seed);
        var sketch = new byte[random.Next(0, 300)];
        random.NextBytes(sketch);
        ulong count = (ulong)random.Next(1, 1_000_000);
        double min = (random.NextDouble() * 100) - 50, max = min + (random.NextDouble() * 1e6);
        return new RollupRow
        {
            TenantId = tenant,
            Metric = metric,
            SeriesKey = seriesKey ?? $"{{\"metric\":\"{metric}\",\"model\":\"gpt\"}}",
            SourceModule = module,
            EventType = type,
            ResolutionSeconds = resolution,
            Bucket = bucket,
            Part = part,
            Stats = new BucketStats(count, random.NextDouble() * 1e9, random.NextDouble() * 1e15, min, max),
            Tokens = random.NextDouble() * 1e7,
            Errors = (ulong)random.Next(0, 1000),
            Sketch = sketch,
            Version = version,
        };
    }

    /// <summary>Rows whose values test exactness: ±∞ of empty stats, the extremes of uint64, subnormals, an empty sketch, a negative bucket.</summary>
    public static List<RollupRow> EdgeRows(string tenant = "acme") =>
    [
        Row(tenant, "empty_stats", seed: 11) with { Stats = BucketStats.Empty, Sketch = [], Tokens = 0, Errors = 0 },
        Row(tenant, "extremes", seed: 12) with
        {
            Stats = new BucketStats(ulong.MaxValue, double.MaxValue, double.Epsilon, -double.MaxValue, double.MaxValue),
            Errors = ulong.MaxValue, Tokens = -0.0, Sketch = [0, 0, 0xFF, 0x00, 0x80, 0x7F],
        },
        Row(tenant, "before_1970", bucket: -5, seed: 13) with { Stats = new BucketStats(1, 0.1 + 0.2, 1e-310, 1e-310, 1e-310) },
        Row(tenant, "cost_usd", resolution: 3600, bucket: BaseSeconds / 3600, seed: 14, type: EventType.Cost, module: SourceModule.LlmCostOps),
        Row(tenant, "day", resolution: 86400, bucket: BaseSeconds / 86400, part: 4242, version: 4242, seed: 15),
    ];

    /// <summary>A value-comparable form of a row (sketch as hex).</summary>
    public static string Key(RollupRow row) =>
        $"{row.TenantId}|{row.Metric}|{row.SeriesKey}|{row.ResolutionSeconds}|{row.Bucket}|{row.Part}";

    public static object Value(RollupRow row) =>
        (Key(row), row.SourceModule, row.EventType, row.Stats, row.Tokens, row.Errors, Convert.ToHexString(row.Sketch), row.Version);

    /// <summary>Asserts <paramref name="actual"/> holds exactly the rows of <paramref name="expected"/>, in any order, every field equal.</summary>
    public static void Equal(IEnumerable<RollupRow> expected, IEnumerable<RollupRow> actual)
    {
        var want = expected.OrderBy(Key, StringComparer.Ordinal).Select(Value).ToList();
        var got = actual.OrderBy(Key, StringComparer.Ordinal).Select(Value).ToList();
        Assert.Equal(want.Count, got.Count);
        for (int i = 0; i < want.Count; i++)
        {
            Assert.Equal(want[i], got[i]);
        }
    }

    public static long StartNano(long seconds) => seconds * 1_000_000_000L;

    /// <summary>Every row of <paramref name="tenant"/> at <paramref name="resolution"/> (the whole time range).</summary>
    public static RollupReadRequest All(string tenant, int resolution = 60) =>
        new(tenant, resolution, long.MinValue / 2, long.MaxValue / 2, null, null);
}
