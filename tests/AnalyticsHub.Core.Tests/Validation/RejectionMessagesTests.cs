using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Normalization;
using AnalyticsHub.Core.Tests.Normalization;
using AnalyticsHub.Core.Validation;
using static AnalyticsHub.Core.Tests.Normalization.NormalizerRow;

namespace AnalyticsHub.Core.Tests.Validation;

/// <summary>
/// <see cref="RejectionMessages.Describe"/>: for each rejection, built from a row the validator
/// really rejected with it, a message naming the field and what is accepted — never the fallback.
/// </summary>
public sealed class RejectionMessagesTests
{
    private static readonly EventNormalizer Normalizer = new(currencies: new CurrencyNormalizer(new Dictionary<string, double> { ["EUR"] = 1.08 }));

    /// <summary>Rejection, the event that earns it, the exact message.</summary>
    public static TheoryData<Rejection, NormalizerRow, string> Cases => new()
    {
        { Rejection.MalformedEvent, Row(r => { r.DecodeError = EventDecodeError.Truncated; r.DecodeErrorField = 9; }), "The event is truncated (field 9 runs past its end)." },
        { Rejection.MalformedEvent, Row(r => { r.DecodeError = EventDecodeError.InterleavedMaps; r.DecodeErrorField = 10; }), "Field 10: the entries of two maps are interleaved." },
        { Rejection.MissingField, Row(r => r.EventId = ""), "event_id is required." },
        { Rejection.MissingField, Row(r => r.Time = 0), "time_unix_nano (timestamp) is required." },
        { Rejection.MissingField, Row(r => r.Module = SourceModule.Unspecified), "source_module is required." },
        { Rejection.MissingField, Row(r => r.Type = EventType.Unspecified), "event_type is required." },
        { Rejection.MissingField, Row(r => r.Kind = PayloadKind.None), "a payload matching event_type is required." },
        { Rejection.InvalidUuid, Row(r => r.EventId = "not-a-uuid"), "event_id 'not-a-uuid' is not a UUID (8-4-4-4-12 hex digits)." },
        {
            Rejection.TimestampOutOfRange, Row(r => r.Time = Now - (8L * 24 * 3600 * 1_000_000_000)),
            "timestamp 2026-11-10T11:06:40.0000000Z is outside the accepted window (accepted: 168 h back to 60 min ahead)."
        },
        { Rejection.NegativeMetric, Row(r => { r.Unit = "s"; r.Value = -2; }), "metric_value -2000 is negative; telemetry values must be ≥ 0." },
        { Rejection.NonPositiveCost, Cost("USD_CENTS", 0), "cost amount 0 USD is not positive; costs must be > 0." },
        { Rejection.NonPositiveCost, Cost("EUR", -0.5), "cost amount -0.54 USD is not positive; costs must be > 0." },
        {
            Rejection.SecuritySeverity, Row(r => { r.Type = EventType.Security; r.Kind = PayloadKind.Security; r.Unit = "high"; }),
            "security events need severity WARNING, ERROR or CRITICAL (got INFO)."
        },
        {
            Rejection.UnknownSchemaVersion, Row(r => r.Schema = "9.0.0"),
            "schema_version '9.0.0' has a major version this hub does not support (supported majors: 0–1)."
        },
        { Rejection.InvalidSchemaVersion, Row(r => r.Schema = "1.x"), "schema_version '1.x' is not a semantic version (MAJOR.MINOR.PATCH)." },
        { Rejection.PayloadMismatch, Row(r => r.Type = EventType.Cost), "event_type COST does not match the telemetry payload it carries." },
        { Rejection.InvalidValue, Row(r => r.Value = double.NaN), "value NaN is not a finite number." },
        { Rejection.InvalidValue, Row(r => { r.Unit = "TiB"; r.Value = double.MaxValue; }), "value Infinity is not a finite number." },
        { Rejection.InvalidValue, Row(r => r.Module = (SourceModule)99), "source_module is not a known module." },
        { Rejection.RateLimited, Row(r => r.AssetId = "asset-1"), "asset 'asset-1' is over its rate limit; retry later." },
        { Rejection.UnknownCurrency, Cost("XYZ", 7), "currency 'XYZ' has no configured exchange rate (Hub:Ingest:ExchangeRates)." },
        { Rejection.InvalidUtf8, Row(r => r.Environment = [0xFF]), "a string field is not valid UTF-8." },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Describe_GivesTheRulesOwnMessage(Rejection rejection, NormalizerRow spec, string expected)
    {
        using var batch = spec.Build();
        var validator = ValidatorFor(rejection);

        Assert.Equal(rejection, validator.NormalizeAndValidate(batch, ref batch[0], Normalizer, Now, 0));
        var message = RejectionMessages.Describe(batch, batch[0], rejection, validator);

        Assert.Equal(expected, message);
        Assert.NotEqual(Fallback(batch), message);
    }

    [Fact]
    public void EveryRejection_HasACase_AndNoCaseGetsTheFallback()
    {
        var covered = Cases.Select(c => (Rejection)c[0]).ToHashSet();
        var all = Enum.GetValues<Rejection>().Where(r => r != Rejection.None).ToHashSet();

        Assert.Equal(all.OrderBy(r => r), covered.OrderBy(r => r));
    }

    [Fact]
    public void Messages_OfDifferentRejections_Differ()
    {
        var messages = new Dictionary<string, Rejection>();
        foreach (var data in Cases)
        {
            var (rejection, spec) = ((Rejection)data[0], (NormalizerRow)data[1]);
            using var batch = spec.Build();
            var message = RejectionMessages.Describe(batch, batch[0], rejection, ValidatorFor(rejection));
            if (messages.TryGetValue(message, out var other))
            {
                Assert.Equal(other, rejection);
            }

            messages[message] = rejection;
        }
    }

    [Fact]
    public void Describe_WithoutValidator_LeavesOutTheConfiguredLimits()
    {
        using var old = Row(r => r.Time = Now - (8L * 24 * 3600 * 1_000_000_000)).Build();
        using var schema = Row(r => r.Schema = "9.0.0").Build();

        Assert.Equal("timestamp 2026-11-10T11:06:40.0000000Z is outside the accepted window.", RejectionMessages.Describe(old, old[0], Rejection.TimestampOutOfRange));
        Assert.Equal("schema_version '9.0.0' has a major version this hub does not support.", RejectionMessages.Describe(schema, schema[0], Rejection.UnknownSchemaVersion));
    }

    [Fact]
    public void Describe_QuotesLongOrInvalidTextSafely()
    {
        using var batch = Row(r => r.EventId = new string('x', 100)).Build();

        var message = RejectionMessages.Describe(batch, batch[0], Rejection.InvalidUuid);

        Assert.Equal($"event_id '{new string('x', 64)}…' is not a UUID (8-4-4-4-12 hex digits).", message);
    }

    // A second event on the same asset is over a limit of one event per second.
    private static EventValidator ValidatorFor(Rejection rejection)
    {
        if (rejection != Rejection.RateLimited)
        {
            return new EventValidator();
        }

        var validator = new EventValidator(rateLimiter: new AssetRateLimiter(new AssetRateLimiterOptions { Enabled = true, EventsPerSecond = 1 }));
        using var first = Row(r => r.AssetId = "asset-1").Build();
        Assert.Equal(Rejection.None, validator.NormalizeAndValidate(first, ref first[0], Normalizer, Now, 0));
        return validator;
    }

    private static string Fallback(EventBatch batch) => RejectionMessages.Describe(batch, batch[0], (Rejection)byte.MaxValue);

    private static NormalizerRow Row(Action<NormalizerRow> change) => new NormalizerRow().With(change);

    private static NormalizerRow Cost(string currency, double amount) => new()
    {
        Module = SourceModule.LlmCostOps, Type = EventType.Cost, Kind = PayloadKind.Cost, PayloadName = "token_cost",
        Unit = currency, Value = amount,
    };
}
