using System.Text.Unicode;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Normalization;

namespace AnalyticsHub.Core.Validation;

/// <summary>
/// The seed's validation rules applied to one decoded event, cheapest and most fundamental first;
/// the first failure is the event's one reason. Allocation-free; safe to share across threads
/// (the rate limiter is thread-safe, the other rules are immutable).
/// </summary>
public sealed class EventValidator
{
    private readonly TimestampRule _timestamps;
    private readonly SchemaVersionPolicy _schemas;
    private readonly AssetRateLimiter? _rateLimiter;

    public EventValidator(TimestampRule? timestamps = null, SchemaVersionPolicy? schemas = null, AssetRateLimiter? rateLimiter = null)
    {
        _timestamps = timestamps ?? new TimestampRule();
        _schemas = schemas ?? new SchemaVersionPolicy();
        _rateLimiter = rateLimiter is { Enabled: true } ? rateLimiter : null;
    }

    public TimestampRule Timestamps => _timestamps;

    public SchemaVersionPolicy Schemas => _schemas;

    /// <param name="nowUnixNano">Wall-clock time, for the timestamp window.</param>
    /// <param name="monotonicNanos">A monotonic clock, for the per-asset rate limit.</param>
    public Rejection Validate(EventBatch batch, in EventRow row, long nowUnixNano, long monotonicNanos)
        => Validate(batch, row, nowUnixNano, monotonicNanos, Rejection.None);

    /// <summary>
    /// Normalizes <paramref name="row"/> in place (<see cref="EventNormalizer"/>), then validates
    /// the normalized values: the ingest path's one call per event. A currency without a rate
    /// is reported where the payload's values are checked, so structural failures come first.
    /// </summary>
    public Rejection NormalizeAndValidate(EventBatch batch, ref EventRow row, EventNormalizer normalizer, long nowUnixNano, long monotonicNanos)
    {
        var normalization = normalizer.Normalize(batch, ref row);
        return Validate(batch, row, nowUnixNano, monotonicNanos, normalization);
    }

    private Rejection Validate(EventBatch batch, in EventRow row, long nowUnixNano, long monotonicNanos, Rejection normalization)
    {
        if (row.DecodeError != EventDecodeError.None)
        {
            return Rejection.MalformedEvent;
        }

        var eventId = batch.Bytes(row.EventId);
        if (eventId.IsEmpty)
        {
            return Rejection.MissingField;
        }

        if (!Uuid.IsValid(eventId))
        {
            return Rejection.InvalidUuid;
        }

        var time = _timestamps.Check(row.TimeUnixNano, nowUnixNano);
        if (time != Rejection.None)
        {
            return time;
        }

        if (row.SourceModule == SourceModule.Unspecified)
        {
            return Rejection.MissingField;
        }

        // A range check: Enum.IsDefined allocates on this path (measured by Validate_AllocatesNothing).
        if (row.SourceModule > SourceModule.LlmPolicyEngine)
        {
            return Rejection.InvalidValue;
        }

        var kind = PayloadRules.CheckPayloadKind(row.EventType, row.PayloadKind);
        if (kind != Rejection.None)
        {
            return kind;
        }

        var schema = _schemas.Check(batch.Bytes(row.SchemaVersion));
        if (schema != Rejection.None)
        {
            return schema;
        }

        if (!TextIsValidUtf8(batch, row))
        {
            return Rejection.InvalidUtf8;
        }

        if (normalization != Rejection.None)
        {
            return normalization;
        }

        var payload = row.PayloadKind switch
        {
            PayloadKind.Telemetry => PayloadRules.CheckMetricValue(row.PayloadValue),
            PayloadKind.Cost => PayloadRules.CheckCostAmount(row.PayloadValue),
            PayloadKind.Security => PayloadRules.CheckSecuritySeverity(row.Severity),
            _ => Rejection.None,
        };
        if (payload != Rejection.None)
        {
            return payload;
        }

        // Last, so an event rejected for another reason does not spend its asset's tokens.
        return _rateLimiter?.Check(batch.Bytes(row.AssetId), monotonicNanos) ?? Rejection.None;
    }

    /// <summary>Every string field the hub reads, including map keys and values (vectorised UTF-8 checks).</summary>
    private static bool TextIsValidUtf8(EventBatch batch, in EventRow row)
    {
        if (!Utf8.IsValid(batch.Bytes(row.CorrelationId))
            || !Utf8.IsValid(batch.Bytes(row.ParentEventId))
            || !Utf8.IsValid(batch.Bytes(row.Environment))
            || !Utf8.IsValid(batch.Bytes(row.TenantId))
            || !Utf8.IsValid(batch.Bytes(row.AssetId))
            || !Utf8.IsValid(batch.Bytes(row.PayloadName))
            || !Utf8.IsValid(batch.Bytes(row.PayloadUnit)))
        {
            return false;
        }

        return PairsAreValidUtf8(batch, batch.PairsOf(row.TagStart, row.TagCount))
            && PairsAreValidUtf8(batch, batch.PairsOf(row.PayloadPairStart, row.PayloadPairCount));
    }

    private static bool PairsAreValidUtf8(EventBatch batch, ReadOnlySpan<KeyValueSlice> pairs)
    {
        foreach (var pair in pairs)
        {
            if (!Utf8.IsValid(batch.Bytes(pair.Key)) || !Utf8.IsValid(batch.Bytes(pair.Value)))
            {
                return false;
            }
        }

        return true;
    }
}
