using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Normalization;
using AnalyticsHub.Core.Tests.Normalization;
using AnalyticsHub.Core.Validation;
using static AnalyticsHub.Core.Tests.Normalization.NormalizerRow;

namespace AnalyticsHub.Core.Tests.Validation;

/// <summary>
/// <see cref="EventValidator.NormalizeAndValidate"/>: the rules judge normalized values, and a
/// currency without a rate is reported where payload values are checked, after every structural rule.
/// </summary>
public sealed class NormalizeAndValidateTests
{
    private static readonly EventValidator Validator = new();

    private static readonly EventNormalizer Normalizer = new(
        new ClockSkew(new Dictionary<SourceModule, TimeSpan>
        {
            // Observatory's clock runs two hours fast: its events look 2 h ahead until corrected.
            [SourceModule.LlmObservatory] = TimeSpan.FromHours(-2),
        }),
        new CurrencyNormalizer(new Dictionary<string, double> { ["EUR"] = 1.08 }));

    public static TheoryData<string, NormalizerRow, Rejection> StructuralFailuresWithAnUnknownCurrency => new()
    {
        { "decode error", UnknownCurrency(r => r.DecodeError = EventDecodeError.Truncated), Rejection.MalformedEvent },
        { "no event_id", UnknownCurrency(r => r.EventId = ""), Rejection.MissingField },
        { "event_id not a UUID", UnknownCurrency(r => r.EventId = "not-a-uuid"), Rejection.InvalidUuid },
        { "no timestamp", UnknownCurrency(r => r.Time = 0), Rejection.MissingField },
        { "8 days old", UnknownCurrency(r => r.Time = Now - (8L * 24 * 3600 * 1_000_000_000)), Rejection.TimestampOutOfRange },
        { "no source module", UnknownCurrency(r => r.Module = SourceModule.Unspecified), Rejection.MissingField },
        { "unknown source module", UnknownCurrency(r => r.Module = (SourceModule)99), Rejection.InvalidValue },
        { "no event type", UnknownCurrency(r => r.Type = EventType.Unspecified), Rejection.MissingField },
        { "cost payload on a telemetry event", UnknownCurrency(r => r.Type = EventType.Telemetry), Rejection.PayloadMismatch },
        { "schema not semver", UnknownCurrency(r => r.Schema = "1.x"), Rejection.InvalidSchemaVersion },
        { "schema major too new", UnknownCurrency(r => r.Schema = "9.0.0"), Rejection.UnknownSchemaVersion },
        { "invalid UTF-8", UnknownCurrency(r => r.Environment = [0xC3, 0x28]), Rejection.InvalidUtf8 },
        { "nothing else wrong", UnknownCurrency(_ => { }), Rejection.UnknownCurrency },
        { "unknown currency and a zero amount", UnknownCurrency(r => r.Value = 0), Rejection.UnknownCurrency },
        { "unknown currency and a NaN amount", UnknownCurrency(r => r.Value = double.NaN), Rejection.UnknownCurrency },
    };

    [Theory]
    [MemberData(nameof(StructuralFailuresWithAnUnknownCurrency))]
    public void StructuralFailure_IsReportedBeforeUnknownCurrency(string description, NormalizerRow spec, Rejection expected)
    {
        using var batch = spec.Build();

        var rejection = Validator.NormalizeAndValidate(batch, ref batch[0], Normalizer, Now, 0);

        Assert.True(expected == rejection, $"{description}: expected {expected}, got {rejection}");
    }

    public static TheoryData<string, NormalizerRow, Rejection, double> NormalizedValues => new()
    {
        { "5 s latency", Telemetry("s", 5), Rejection.None, 5_000 },
        { "1.5 GiB", Telemetry("GiB", 1.5), Rejection.None, 1.5 * 1024 * 1024 * 1024 },
        { "-2 s latency", Telemetry("s", -2), Rejection.NegativeMetric, -2_000 },
        { "-1 ns", Telemetry("ns", -1), Rejection.NegativeMetric, -1 / 1e6 },
        { "-0 s counts as 0", Telemetry("s", -0.0), Rejection.None, -0.0 },
        { "overflowing conversion", Telemetry("TiB", double.MaxValue), Rejection.InvalidValue, double.PositiveInfinity },
        { "unknown unit, negative", Telemetry("tokens", -1), Rejection.NegativeMetric, -1 },
        { "EUR amount", Cost("EUR", 10), Rejection.None, 10 * 1.08 },
        { "1 cent", Cost("cents", 1), Rejection.None, 0.01 },
        { "negative EUR amount", Cost("EUR", -10), Rejection.NonPositiveCost, -10 * 1.08 },
        { "0 cents", Cost("USD_CENTS", 0), Rejection.NonPositiveCost, 0 },
    };

    [Theory]
    [MemberData(nameof(NormalizedValues))]
    public void Rules_JudgeTheNormalizedValue(string description, NormalizerRow spec, Rejection expected, double value)
    {
        using var batch = spec.Build();

        var rejection = Validator.NormalizeAndValidate(batch, ref batch[0], Normalizer, Now, 0);

        Assert.True(expected == rejection, $"{description}: expected {expected}, got {rejection}");
        Assert.Equal(value, batch[0].PayloadValue);
    }

    [Fact]
    public void ClockSkew_IsCorrectedBeforeTheTimestampWindow()
    {
        // Observatory stamps its events 2 h ahead (its clock is fast): outside the 1 h future
        // window as sent, inside it once corrected.
        long sent = Now + TimeSpan.FromHours(2).Ticks * 100 - 1_000_000_000;
        using var observatory = Telemetry("ms", 1).With(r => { r.Time = sent; r.Module = SourceModule.LlmObservatory; }).Build();
        using var sentinel = Telemetry("ms", 1).With(r => r.Time = sent).Build(); // no offset configured

        Assert.Equal(Rejection.TimestampOutOfRange, Validator.Validate(observatory, observatory[0], Now, 0));
        Assert.Equal(Rejection.None, Validator.NormalizeAndValidate(observatory, ref observatory[0], Normalizer, Now, 0));
        Assert.Equal(Now - 1_000_000_000, observatory[0].TimeUnixNano);

        Assert.Equal(Rejection.TimestampOutOfRange, Validator.NormalizeAndValidate(sentinel, ref sentinel[0], Normalizer, Now, 0));
    }

    [Theory]
    [InlineData(Severity.Unspecified, "high", Rejection.None)]
    [InlineData(Severity.Unspecified, "medium", Rejection.None)]
    [InlineData(Severity.Unspecified, "low", Rejection.SecuritySeverity)] // low → Info, below Warning
    [InlineData(Severity.Unspecified, "unknown", Rejection.SecuritySeverity)]
    [InlineData(Severity.Info, "critical", Rejection.SecuritySeverity)] // explicit severity wins, then is judged
    public void SecuritySeverity_IsJudgedAfterThreatLevelFillsIt(Severity severity, string threatLevel, Rejection expected)
    {
        using var batch = new NormalizerRow
        {
            Module = SourceModule.LlmSentinel, Type = EventType.Security, Kind = PayloadKind.Security, Severity = severity, Unit = threatLevel,
        }.Build();

        Assert.Equal(expected, Validator.NormalizeAndValidate(batch, ref batch[0], Normalizer, Now, 0));
    }

    [Fact]
    public void NormalizeAndValidate_AllocatesNothing()
    {
        using var batch = Telemetry("s", 5).Build();
        var row = batch[0];
        Validator.NormalizeAndValidate(batch, ref batch[0], Normalizer, Now, 0);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            batch[0] = row;
            Validator.NormalizeAndValidate(batch, ref batch[0], Normalizer, Now, 0);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static NormalizerRow UnknownCurrency(Action<NormalizerRow> change) =>
        Cost("XYZ", 7).With(change);

    private static NormalizerRow Telemetry(string unit, double value) => new()
    {
        Module = SourceModule.LlmSentinel, Unit = unit, Value = value,
    };

    private static NormalizerRow Cost(string currency, double amount) => new()
    {
        Module = SourceModule.LlmCostOps, Type = EventType.Cost, Kind = PayloadKind.Cost, PayloadName = "token_cost",
        Unit = currency, Value = amount,
    };
}
