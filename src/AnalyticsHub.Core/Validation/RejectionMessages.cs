using System.Globalization;
using System.Text;
using AnalyticsHub.Core.Events;

namespace AnalyticsHub.Core.Validation;

/// <summary>
/// The human message sent with a rejection code: which field, what was wrong, what is accepted.
/// Built only for rejected events (it allocates), from the row the rule judged.
/// </summary>
public static class RejectionMessages
{
    public static string Describe(EventBatch batch, in EventRow row, Rejection rejection, EventValidator? validator = null) => rejection switch
    {
        Rejection.MalformedEvent => EventDecodeErrorText.Describe(row.DecodeError, row.DecodeErrorField),
        Rejection.MissingField => MissingField(batch, row),
        Rejection.InvalidUuid => $"event_id '{Quote(batch, row.EventId)}' is not a UUID (8-4-4-4-12 hex digits).",
        Rejection.TimestampOutOfRange => TimestampOutOfRange(row, validator),
        Rejection.NegativeMetric => $"metric_value {Number(row.PayloadValue)} is negative; telemetry values must be ≥ 0.",
        Rejection.NonPositiveCost => $"cost amount {Number(row.PayloadValue)} USD is not positive; costs must be > 0.",
        Rejection.SecuritySeverity => $"security events need severity WARNING, ERROR or CRITICAL (got {row.Severity.ToString().ToUpperInvariant()}).",
        Rejection.UnknownSchemaVersion => $"schema_version '{Quote(batch, row.SchemaVersion)}' has a major version this hub does not support{SupportedMajors(validator)}.",
        Rejection.InvalidSchemaVersion => $"schema_version '{Quote(batch, row.SchemaVersion)}' is not a semantic version (MAJOR.MINOR.PATCH).",
        Rejection.PayloadMismatch => $"event_type {row.EventType.ToString().ToUpperInvariant()} does not match the {row.PayloadKind.ToString().ToLowerInvariant()} payload it carries.",
        Rejection.InvalidValue => InvalidValue(row),
        Rejection.RateLimited => $"asset '{Quote(batch, row.AssetId)}' is over its rate limit; retry later.",
        Rejection.UnknownCurrency => $"currency '{Quote(batch, row.PayloadUnit)}' has no configured exchange rate (Hub:Ingest:ExchangeRates).",
        Rejection.InvalidUtf8 => "a string field is not valid UTF-8.",
        _ => "rejected.",
    };

    private static string MissingField(EventBatch batch, in EventRow row)
    {
        if (row.EventId.IsEmpty)
        {
            return "event_id is required.";
        }
        if (row.TimeUnixNano == 0)
        {
            return "time_unix_nano (timestamp) is required.";
        }
        if (row.SourceModule == SourceModule.Unspecified)
        {
            return "source_module is required.";
        }
        if (row.EventType == EventType.Unspecified)
        {
            return "event_type is required.";
        }
        return row.PayloadKind == PayloadKind.None ? "a payload matching event_type is required." : "a required field is missing.";
    }

    private static string TimestampOutOfRange(in EventRow row, EventValidator? validator)
    {
        var time = DateTimeOffset.UnixEpoch.AddTicks(Math.Clamp(row.TimeUnixNano / 100, -DateTimeOffset.UnixEpoch.Ticks, DateTimeOffset.MaxValue.Ticks - DateTimeOffset.UnixEpoch.Ticks));
        var window = validator is null ? "" : $" (accepted: {validator.Timestamps.MaxAge.TotalHours:0.##} h back to {validator.Timestamps.MaxFutureSkew.TotalMinutes:0.##} min ahead)";
        return $"timestamp {time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)} is outside the accepted window{window}.";
    }

    private static string InvalidValue(in EventRow row) => row.SourceModule > SourceModule.LlmPolicyEngine
        ? "source_module is not a known module."
        : $"value {Number(row.PayloadValue)} is not a finite number.";

    private static string SupportedMajors(EventValidator? validator) =>
        validator is null ? "" : $" (supported majors: {validator.Schemas.OldestMajor}–{validator.Schemas.CurrentMajor})";

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The field as text, cut to 64 characters, invalid UTF-8 replaced.</summary>
    private static string Quote(EventBatch batch, ArenaSlice slice)
    {
        var bytes = batch.Bytes(slice);
        var text = Encoding.UTF8.GetString(bytes.Length > 256 ? bytes[..256] : bytes);
        return text.Length > 64 ? text[..64] + "…" : text;
    }
}
