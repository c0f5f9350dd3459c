using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Normalization;
using AnalyticsHub.Core.Validation;

namespace AnalyticsHub.Core.Tests.Validation;

/// <summary>The per-event functions run a million times a second: none may allocate.</summary>
public sealed class HotPathAllocationTests
{
    private const int Iterations = 10_000;

    [Fact]
    public void PerEventFunctions_DoNotAllocate()
    {
        var schema = new SchemaVersionPolicy(3);
        var timestamps = new TimestampRule();
        var currencies = new CurrencyNormalizer(new Dictionary<string, double> { ["EUR"] = 1.1 });
        var skew = new ClockSkew(new Dictionary<SourceModule, TimeSpan> { [SourceModule.LlmSentinel] = TimeSpan.FromSeconds(1) });
        // Small bound and many distinct keys so the eviction path runs too.
        var limiter = new AssetRateLimiter(new AssetRateLimiterOptions { Enabled = true, EventsPerSecond = 100, MaxTrackedAssets = 256 });

        long sink = RunAll(schema, timestamps, currencies, skew, limiter, offset: 0); // warm-up: JIT, statics, tiering
        long before = GC.GetAllocatedBytesForCurrentThread();
        sink += RunAll(schema, timestamps, currencies, skew, limiter, offset: Iterations);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.NotEqual(0, sink); // the work was not optimised away
    }

    private static long RunAll(
        SchemaVersionPolicy schema, TimestampRule timestamps, CurrencyNormalizer currencies,
        ClockSkew skew, AssetRateLimiter limiter, int offset)
    {
        const long now = 1_750_000_000_000_000_000;
        Span<byte> asset = stackalloc byte[8];
        long sink = 0;
        for (int i = 0; i < Iterations; i++)
        {
            sink += Uuid.IsValid("550e8400-e29b-41d4-a716-446655440000"u8) ? 1 : 0;
            sink += Uuid.TryParse("550E8400-E29B-41D4-A716-446655440000"u8, out Guid guid) ? guid.GetHashCode() & 1 : 0;
            sink += SemanticVersion.TryParse("1.2.3-rc.1+build.5"u8, out var version) ? version.Major : 0;
            sink += (long)schema.Check("2.0.0"u8);
            sink += (long)schema.Check("9.0.0"u8);
            sink += (long)timestamps.Check(now - i, now);
            sink += (long)PayloadRules.CheckMetricValue(i - 5);
            sink += (long)PayloadRules.CheckCostAmount(double.NaN);
            sink += (long)PayloadRules.CheckSecuritySeverity(Severity.Info);
            sink += (long)PayloadRules.CheckPayloadKind(EventType.Cost, PayloadKind.Telemetry);

            BitConverter.TryWriteBytes(asset, (long)(offset + i));
            sink += (long)limiter.Check(asset, now + i);
            sink += (long)limiter.Check("hot-asset"u8, now + i);
            sink += (long)Fnv1a64.Hash("asset-123"u8);

            sink += UnitNormalizer.TryNormalize("µs"u8, i, out double ms, out var unit) ? (long)ms + unit.Length : 0;
            sink += UnitNormalizer.TryNormalize("tokens"u8, i, out double same, out unit) ? 0 : (long)same + unit.Length;
            sink += (long)currencies.TryToUsd("eur"u8, 10, out double usd) + (long)usd;
            sink += (long)currencies.TryToUsd("XYZ"u8, 10, out usd);
            sink += (long)currencies.TryToUsd("USD_CENTS"u8, 10, out usd);
            sink += SeverityMapper.TryMap("  CRITICAL "u8, out var severity) ? (long)severity : 0;
            sink += skew.Apply(SourceModule.LlmSentinel, now) & 1;
            sink += FieldMappings.TryMap(SourceModule.LlmPolicyEngine, "policy_name"u8, out var key) ? key.Length : 0;
            sink += (RejectionCodes.Of(Rejection.RateLimited)?.Length).GetValueOrDefault();
        }

        return sink;
    }
}
