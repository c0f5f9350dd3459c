using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Normalization;
using AnalyticsHub.Core.Validation;
using static AnalyticsHub.Core.Tests.Normalization.NormalizerRow;

namespace AnalyticsHub.Core.Tests.Normalization;

/// <summary>
/// <see cref="EventNormalizer.Normalize"/> value by value, on rows laid out as the decoder leaves
/// them (<see cref="NormalizerRow"/>): clock skew, telemetry units, cost currencies, severities
/// from payload vocabularies, the Registry/Policy Engine renames, and rows that failed to decode.
/// </summary>
public sealed class EventNormalizerTests
{
    private const long Second = 1_000_000_000;

    private static readonly EventNormalizer Normalizer = new(
        new ClockSkew(new Dictionary<SourceModule, TimeSpan>
        {
            [SourceModule.LlmObservatory] = TimeSpan.FromSeconds(2),
            [SourceModule.LlmSentinel] = TimeSpan.FromMilliseconds(-500),
            [SourceModule.LlmCostOps] = TimeSpan.MaxValue,
            [SourceModule.LlmGovernance] = TimeSpan.MinValue,
        }),
        new CurrencyNormalizer(new Dictionary<string, double> { ["EUR"] = 1.08, ["jpy"] = 0.0067 }));

    // ---- clock skew -------------------------------------------------------------------------

    [Theory]
    [InlineData(SourceModule.LlmObservatory, Now, Now + (2 * Second))]
    [InlineData(SourceModule.LlmSentinel, Now, Now - (Second / 2))]
    [InlineData(SourceModule.LlmRegistry, Now, Now)] // no offset configured
    [InlineData(SourceModule.Unspecified, Now, Now)]
    [InlineData((SourceModule)255, Now, Now)] // an undefined module from a newer producer: no offset
    [InlineData(SourceModule.LlmObservatory, 0L, 0L)] // unset stays unset, so validation still says "missing"
    [InlineData(SourceModule.LlmSentinel, 0L, 0L)]
    [InlineData(SourceModule.LlmObservatory, -1L, (2 * Second) - 1)] // a set (if odd) time is corrected
    [InlineData(SourceModule.LlmObservatory, long.MaxValue - 1, long.MaxValue)] // saturates, never wraps
    [InlineData(SourceModule.LlmObservatory, long.MaxValue, long.MaxValue)]
    [InlineData(SourceModule.LlmSentinel, long.MinValue + 1, long.MinValue)]
    [InlineData(SourceModule.LlmCostOps, 1L, long.MaxValue)] // TimeSpan.MaxValue offset saturates
    [InlineData(SourceModule.LlmCostOps, 0L, 0L)]
    [InlineData(SourceModule.LlmGovernance, -1L, long.MinValue)] // TimeSpan.MinValue offset saturates
    [InlineData(SourceModule.LlmGovernance, 1L, long.MinValue + 1)]
    public void Normalize_AppliesTheModulesClockSkewToTheTime(SourceModule module, long time, long expected)
    {
        using var batch = new NormalizerRow { Module = module, Time = time, Unit = "tokens" }.Build();

        Assert.Equal(Rejection.None, Normalizer.Normalize(batch, ref batch[0]));
        Assert.Equal(expected, batch[0].TimeUnixNano);
    }

    [Fact]
    public void Normalize_WithoutClockSkew_KeepsTheTime()
    {
        using var batch = new NormalizerRow { Time = Now }.Build();

        new EventNormalizer().Normalize(batch, ref batch[0]);

        Assert.Equal(Now, batch[0].TimeUnixNano);
    }

    // ---- telemetry units --------------------------------------------------------------------

    [Theory]
    // durations → ms
    [InlineData("ns", 1_500_000, 1.5, UnitDimension.Duration)]
    [InlineData("us", 2_500, 2.5, UnitDimension.Duration)]
    [InlineData("µs", 2_500, 2.5, UnitDimension.Duration)] // U+00B5 MICRO SIGN
    [InlineData("μs", 750, 0.75, UnitDimension.Duration)] // U+03BC GREEK SMALL LETTER MU
    [InlineData("ms", 42, 42, UnitDimension.Duration)] // already canonical: value kept, dimension set
    [InlineData("MS", 42, 42, UnitDimension.Duration)]
    [InlineData("s", 5, 5_000, UnitDimension.Duration)]
    [InlineData(" s\t", 5, 5_000, UnitDimension.Duration)] // trimmed
    [InlineData("seconds", 0.25, 250, UnitDimension.Duration)]
    [InlineData("min", 2, 120_000, UnitDimension.Duration)]
    [InlineData("minutes", 0.5, 30_000, UnitDimension.Duration)]
    [InlineData("h", 1, 3_600_000, UnitDimension.Duration)]
    // sizes → bytes
    [InlineData("bytes", 512, 512, UnitDimension.Size)]
    [InlineData("KB", 3, 3_000, UnitDimension.Size)]
    [InlineData("kb", 3, 3_000, UnitDimension.Size)]
    [InlineData("MB", 1.5, 1_500_000, UnitDimension.Size)]
    [InlineData("Mb", 1, 1_000_000, UnitDimension.Size)] // case is not significant: megabytes, never megabits
    [InlineData("KiB", 2, 2_048, UnitDimension.Size)]
    [InlineData("GiB", 2, 2_147_483_648, UnitDimension.Size)]
    // rates → per second
    [InlineData("per_second", 7, 7, UnitDimension.Rate)]
    [InlineData("per_minute", 120, 2, UnitDimension.Rate)]
    [InlineData("rpm", 30, 0.5, UnitDimension.Rate)]
    [InlineData("per_hour", 7_200, 2, UnitDimension.Rate)]
    [InlineData("per_hour", 1, 1.0 / 3_600, UnitDimension.Rate)]
    // negative values convert too; rejecting them is validation's job (after conversion)
    [InlineData("s", -2, -2_000, UnitDimension.Duration)]
    [InlineData("s", 0, 0, UnitDimension.Duration)]
    public void Normalize_Telemetry_ConvertsTheValueToTheCanonicalUnit(string unit, double value, double expected, UnitDimension dimension)
    {
        using var batch = new NormalizerRow { Unit = unit, Value = value }.Build();

        Assert.Equal(Rejection.None, Normalizer.Normalize(batch, ref batch[0]));
        Assert.Equal(expected, batch[0].PayloadValue);
        Assert.Equal(dimension, batch[0].ValueDimension);
    }

    [Theory]
    [InlineData("tokens", 12.5)]
    [InlineData("percent", 99.5)]
    [InlineData("m", 3)] // metres or minutes? not guessed
    [InlineData("", 4)]
    [InlineData("kbit", 8)]
    [InlineData("s s", 1)]
    [InlineData("tokens", -1)]
    public void Normalize_Telemetry_UnknownUnit_KeepsTheValueWithNoDimension(string unit, double value)
    {
        using var batch = new NormalizerRow { Unit = unit, Value = value }.Build();
        var unitBefore = batch[0].PayloadUnit;

        Assert.Equal(Rejection.None, Normalizer.Normalize(batch, ref batch[0]));
        Assert.Equal(value, batch[0].PayloadValue);
        Assert.Equal(UnitDimension.None, batch[0].ValueDimension);
        Assert.Equal(unitBefore, batch[0].PayloadUnit);
    }

    [Fact]
    public void Normalize_Telemetry_NaNAndOverflow_AreLeftForValidationToReject()
    {
        using var nan = new NormalizerRow { Unit = "s", Value = double.NaN }.Build();
        using var huge = new NormalizerRow { Unit = "TiB", Value = double.MaxValue }.Build();

        Normalizer.Normalize(nan, ref nan[0]);
        Normalizer.Normalize(huge, ref huge[0]);

        Assert.True(double.IsNaN(nan[0].PayloadValue));
        Assert.Equal(double.PositiveInfinity, huge[0].PayloadValue);
    }

    // ---- cost -------------------------------------------------------------------------------

    [Theory]
    [InlineData("USD", 1.5, 1.5)]
    [InlineData("usd", 1.5, 1.5)]
    [InlineData(" USD ", 2, 2)]
    [InlineData("", 3.25, 3.25)] // proto3 "unset": CostOps reports in dollars
    [InlineData("  ", 3.25, 3.25)]
    [InlineData("cents", 250, 2.5)]
    [InlineData("CENTS", 1, 0.01)]
    [InlineData("USD_CENTS", 250, 2.5)]
    [InlineData("usd_cents", 5, 0.05)]
    [InlineData("EUR", 10, 10 * 1.08)] // configured rate
    [InlineData("eur", 0.5, 0.5 * 1.08)]
    [InlineData(" Eur\n", 2, 2 * 1.08)]
    [InlineData("JPY", 1_000, 1_000 * 0.0067)] // configured in lower case, matched in upper
    [InlineData("USD", 0, 0)] // converted, then judged by validation
    [InlineData("EUR", -4, -4 * 1.08)]
    public void Normalize_Cost_ConvertsTheAmountToUsd(string currency, double amount, double expected)
    {
        using var batch = Cost(currency, amount).Build();

        Assert.Equal(Rejection.None, Normalizer.Normalize(batch, ref batch[0]));
        Assert.Equal(expected, batch[0].PayloadValue);
        Assert.Equal(UnitDimension.Usd, batch[0].ValueDimension);
    }

    [Theory]
    [InlineData("XYZ")]
    [InlineData("GBP")] // a real code, but no configured rate
    [InlineData("EURO")]
    [InlineData("€")]
    [InlineData("US")]
    [InlineData("USDX")]
    [InlineData("cent")]
    [InlineData("U$D")]
    public void Normalize_Cost_UnknownCurrency_IsRejectedWithTheValueUnchanged(string currency)
    {
        using var batch = Cost(currency, 7).Build();

        Assert.Equal(Rejection.UnknownCurrency, Normalizer.Normalize(batch, ref batch[0]));
        Assert.Equal(7, batch[0].PayloadValue);
        Assert.Equal(UnitDimension.None, batch[0].ValueDimension);
    }

    [Fact]
    public void Normalize_Cost_UnknownCurrency_StillCorrectsTheTime()
    {
        using var batch = Cost("XYZ", 7).With(r => r.Module = SourceModule.LlmObservatory).Build();

        Normalizer.Normalize(batch, ref batch[0]);

        Assert.Equal(Now - Second + (2 * Second), batch[0].TimeUnixNano);
    }

    [Fact]
    public void Normalize_Cost_EurWithoutAConfiguredRate_IsUnknown()
    {
        using var batch = Cost("EUR", 7).Build();

        Assert.Equal(Rejection.UnknownCurrency, new EventNormalizer().Normalize(batch, ref batch[0]));
        Assert.Equal(7, batch[0].PayloadValue);
    }

    [Theory]
    [InlineData(PayloadKind.Policy, "deny", 0.75)] // policy.score is not converted
    [InlineData(PayloadKind.Governance, "allowed", 3)]
    [InlineData(PayloadKind.Custom, "s", 5)] // a unit-like string on a non-telemetry payload is not a unit
    public void Normalize_OtherPayloads_KeepTheirValue(PayloadKind kind, string unit, double value)
    {
        using var batch = new NormalizerRow { Kind = kind, Type = (EventType)(kind - PayloadKind.Telemetry + 1), Unit = unit, Value = value }.Build();

        Assert.Equal(Rejection.None, Normalizer.Normalize(batch, ref batch[0]));
        Assert.Equal(value, batch[0].PayloadValue);
        Assert.Equal(UnitDimension.None, batch[0].ValueDimension);
    }

    // ---- severity ---------------------------------------------------------------------------

    [Theory]
    [InlineData(Severity.Unspecified, "high", Severity.Error)]
    [InlineData(Severity.Unspecified, "HIGH", Severity.Error)]
    [InlineData(Severity.Unspecified, "CRITICAL", Severity.Critical)]
    [InlineData(Severity.Unspecified, "medium", Severity.Warning)]
    [InlineData(Severity.Unspecified, "Moderate", Severity.Warning)]
    [InlineData(Severity.Unspecified, " low ", Severity.Info)]
    [InlineData(Severity.Unspecified, "severe", Severity.Error)]
    [InlineData(Severity.Unspecified, "bogus", Severity.Unspecified)] // not a severity word: left for validation
    [InlineData(Severity.Unspecified, "", Severity.Unspecified)]
    [InlineData(Severity.Info, "critical", Severity.Info)] // explicit severity wins
    [InlineData(Severity.Warning, "high", Severity.Warning)]
    [InlineData(Severity.Critical, "low", Severity.Critical)]
    public void Normalize_Security_TakesAMissingSeverityFromThreatLevel(Severity sent, string threatLevel, Severity expected)
    {
        using var batch = Security(sent, threatLevel).Build();

        Assert.Equal(Rejection.None, Normalizer.Normalize(batch, ref batch[0]));
        Assert.Equal(expected, batch[0].Severity);
    }

    [Theory]
    [InlineData(PayloadKind.Telemetry, "high")]
    [InlineData(PayloadKind.Governance, "critical")] // governance.outcome is not a threat level
    [InlineData(PayloadKind.Policy, "high")] // policy.decision is not a threat level
    public void Normalize_OnlySecurityPayloads_MapTheirUnitColumnToSeverity(PayloadKind kind, string unit)
    {
        using var batch = new NormalizerRow
        {
            Kind = kind, Type = (EventType)(kind - PayloadKind.Telemetry + 1), Severity = Severity.Unspecified, Unit = unit,
        }.Build();

        Normalizer.Normalize(batch, ref batch[0]);

        Assert.Equal(Severity.Unspecified, batch[0].Severity);
    }

    // ---- renamed fields: Registry -----------------------------------------------------------

    [Theory]
    //           asset_id   version   attribute        value       → asset_id    version
    [InlineData("", "", "id", "model-7", "model-7", "")]
    [InlineData("", "", "ID", "model-7", "model-7", "")] // keys match ignoring ASCII case
    [InlineData("explicit", "", "id", "model-7", "explicit", "")] // explicit asset_id wins
    [InlineData("", "", "model_version", "3.1.0", "", "3.1.0")]
    [InlineData("", "", "Model_Version", "3.1.0", "", "3.1.0")]
    [InlineData("", "2.0.0", "model_version", "3.1.0", "", "2.0.0")] // explicit version wins
    [InlineData("", "", "owner_team", "ml", "", "")] // renamed, but to a column the row does not have
    [InlineData("", "", "asset_id", "model-7", "", "")] // only the seed's names are renames
    [InlineData("", "", " id", "model-7", "", "")] // no trimming of keys
    [InlineData("", "", "framework", "pytorch", "", "")]
    public void Normalize_Registry_PromotesRenamedAttributes(
        string assetId, string version, string key, string value, string expectedAsset, string expectedVersion)
    {
        using var batch = Registry(assetId, version, (key, value)).Build();

        Assert.Equal(Rejection.None, Normalizer.Normalize(batch, ref batch[0]));
        Assert.Equal(expectedAsset, Text(batch, batch[0].AssetId));
        Assert.Equal(expectedVersion, Text(batch, batch[0].PayloadUnit));
    }

    [Fact]
    public void Normalize_Registry_IdAndModelVersionTogether_FillBothColumns()
    {
        using var batch = Registry("", "", ("framework", "pytorch"), ("model_version", "3.1.0"), ("id", "model-7")).Build();

        Normalizer.Normalize(batch, ref batch[0]);

        Assert.Equal("model-7", Text(batch, batch[0].AssetId));
        Assert.Equal("3.1.0", Text(batch, batch[0].PayloadUnit));
        Assert.Equal(Severity.Info, batch[0].Severity);
    }

    [Fact]
    public void Normalize_Registry_TelemetryDimensionModelVersion_DoesNotReplaceTheUnit()
    {
        // model_version is metadata.version: on a telemetry event the unit column is telemetry.unit.
        using var batch = new NormalizerRow { Module = SourceModule.LlmRegistry, Unit = "s", Value = 2 }
            .With(r => r.PayloadPairs.Add(("model_version", "3.1.0"))).Build();

        Normalizer.Normalize(batch, ref batch[0]);

        Assert.Equal("s", Text(batch, batch[0].PayloadUnit));
        Assert.Equal(2_000, batch[0].PayloadValue);
    }

    [Theory]
    [InlineData(SourceModule.LlmObservatory)]
    [InlineData(SourceModule.LlmGovernance)]
    [InlineData(SourceModule.LlmPolicyEngine)] // Policy Engine's renames are others
    public void Normalize_OtherModules_DoNotPromoteRegistryAttributes(SourceModule module)
    {
        using var batch = Registry("", "", ("id", "model-7"), ("model_version", "3.1.0")).With(r => r.Module = module).Build();

        Normalizer.Normalize(batch, ref batch[0]);

        Assert.Equal("", Text(batch, batch[0].AssetId));
        Assert.Equal("", Text(batch, batch[0].PayloadUnit));
    }

    // ---- renamed fields: Policy Engine ------------------------------------------------------

    [Theory]
    //           policy_id   severity                 detail         value    → policy_id   severity
    [InlineData("", Severity.Info, "policy_name", "pii-check", "pii-check", Severity.Info)]
    [InlineData("", Severity.Info, "POLICY_NAME", "pii-check", "pii-check", Severity.Info)]
    [InlineData("explicit", Severity.Info, "policy_name", "pii-check", "explicit", Severity.Info)] // explicit policy_id wins
    [InlineData("p", Severity.Unspecified, "level", "high", "p", Severity.Error)]
    [InlineData("p", Severity.Unspecified, "level", "CRITICAL", "p", Severity.Critical)]
    [InlineData("p", Severity.Unspecified, "level", "medium", "p", Severity.Warning)]
    [InlineData("p", Severity.Unspecified, "Level", "warn", "p", Severity.Warning)]
    [InlineData("p", Severity.Debug, "level", "critical", "p", Severity.Debug)] // explicit severity wins
    [InlineData("p", Severity.Unspecified, "level", "bogus", "p", Severity.Unspecified)]
    [InlineData("p", Severity.Unspecified, "severity", "high", "p", Severity.Unspecified)] // not a rename
    [InlineData("", Severity.Unspecified, "violation_id", "v-1", "", Severity.Unspecified)]
    public void Normalize_PolicyEngine_PromotesRenamedDetails(
        string policyId, Severity severity, string key, string value, string expectedPolicy, Severity expectedSeverity)
    {
        using var batch = Policy(policyId, severity, (key, value)).Build();

        Assert.Equal(Rejection.None, Normalizer.Normalize(batch, ref batch[0]));
        Assert.Equal(expectedPolicy, Text(batch, batch[0].PayloadName));
        Assert.Equal(expectedSeverity, batch[0].Severity);
    }

    [Fact]
    public void Normalize_PolicyEngine_NameAndLevelTogether_FillBothColumns()
    {
        using var batch = Policy("", Severity.Unspecified, ("level", "high"), ("policy_name", "pii-check")).Build();

        Normalizer.Normalize(batch, ref batch[0]);

        Assert.Equal("pii-check", Text(batch, batch[0].PayloadName));
        Assert.Equal(Severity.Error, batch[0].Severity);
    }

    [Fact]
    public void Normalize_PolicyEngine_PolicyNameOnATelemetryEvent_DoesNotReplaceTheMetricName()
    {
        using var batch = new NormalizerRow { Module = SourceModule.LlmPolicyEngine, PayloadName = "" }
            .With(r => r.PayloadPairs.Add(("policy_name", "pii-check"))).Build();

        Normalizer.Normalize(batch, ref batch[0]);

        Assert.Equal("", Text(batch, batch[0].PayloadName));
    }

    [Fact]
    public void Normalize_Registry_LevelDetail_IsNotASeverity()
    {
        using var batch = Registry("", "", ("level", "critical")).With(r => r.Severity = Severity.Unspecified).Build();

        Normalizer.Normalize(batch, ref batch[0]);

        Assert.Equal(Severity.Unspecified, batch[0].Severity);
    }

    // ---- rows that failed to decode ---------------------------------------------------------

    public static TheoryData<string, NormalizerRow> UndecodedRows => new()
    {
        { "skewed telemetry in seconds", new NormalizerRow { Module = SourceModule.LlmObservatory, Unit = "s", Value = 5 } },
        { "cost in an unknown currency", Cost("XYZ", 7).With(r => r.Module = SourceModule.LlmSentinel) },
        { "cost in EUR", Cost("EUR", 7) },
        { "security without severity", Security(Severity.Unspecified, "high").With(r => r.Module = SourceModule.LlmCostOps) },
        { "registry with renames", Registry("", "", ("id", "model-7"), ("model_version", "3.1.0")) },
        { "policy with renames", Policy("", Severity.Unspecified, ("policy_name", "p"), ("level", "high")) },
    };

    [Theory]
    [MemberData(nameof(UndecodedRows))]
    public void Normalize_RowWithDecodeError_IsLeftUntouched(string description, NormalizerRow spec)
    {
        using var batch = spec.With(r => r.DecodeError = EventDecodeError.Truncated).Build();
        var before = batch[0];

        Assert.Equal(Rejection.None, Normalizer.Normalize(batch, ref batch[0]));
        Assert.True(before.Equals(batch[0]), description);
    }

    [Fact]
    public void Normalize_AllocatesNothing()
    {
        var specs = UndecodedRows.Select(d => (NormalizerRow)d[1]).ToArray();
        var batches = specs.Select(s => s.Build()).ToArray();
        var rows = batches.Select(b => b[0]).ToArray();
        try
        {
            for (var round = 0; round < 2; round++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                for (var i = 0; i < 1_000; i++)
                {
                    for (var b = 0; b < batches.Length; b++)
                    {
                        batches[b][0] = rows[b];
                        Normalizer.Normalize(batches[b], ref batches[b][0]);
                    }
                }

                // Round 0 warms up (tiered JIT, static tables); round 1 is measured.
                if (round == 1)
                {
                    Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
                }
            }
        }
        finally
        {
            foreach (var batch in batches)
            {
                batch.Dispose();
            }
        }
    }

    // ---- rows -------------------------------------------------------------------------------

    private static NormalizerRow Cost(string currency, double amount) => new()
    {
        Module = SourceModule.LlmCostOps, Type = EventType.Cost, Kind = PayloadKind.Cost, PayloadName = "token_cost",
        Unit = currency, Value = amount,
    };

    private static NormalizerRow Security(Severity severity, string threatLevel) => new()
    {
        Module = SourceModule.LlmSentinel, Type = EventType.Security, Kind = PayloadKind.Security, PayloadName = "prompt_injection",
        Severity = severity, Unit = threatLevel, Value = 0,
    };

    private static NormalizerRow Registry(string assetId, string version, params (string Key, string Value)[] attributes)
    {
        var row = new NormalizerRow
        {
            Module = SourceModule.LlmRegistry, Type = EventType.Metadata, Kind = PayloadKind.Metadata, PayloadName = "created",
            AssetId = assetId, Unit = version, Value = 0,
        };
        row.PayloadPairs.AddRange(attributes);
        return row;
    }

    private static NormalizerRow Policy(string policyId, Severity severity, params (string Key, string Value)[] details)
    {
        var row = new NormalizerRow
        {
            Module = SourceModule.LlmPolicyEngine, Type = EventType.Policy, Kind = PayloadKind.Policy, PayloadName = policyId,
            Severity = severity, Unit = "deny", Value = 0.5,
        };
        row.PayloadPairs.AddRange(details);
        return row;
    }
}
