namespace AnalyticsHub.Core.Validation;

/// <summary>
/// The stable snake_case reason codes sent in <c>EventRejection.code</c> and kept with dead
/// letters. Clients match on them: never rename one, only add.
/// </summary>
public static class RejectionCodes
{
    public const string MissingField = "missing_field";
    public const string InvalidUuid = "invalid_uuid";
    public const string TimestampOutOfRange = "timestamp_out_of_range";
    public const string NegativeMetric = "negative_metric";
    public const string NonPositiveCost = "nonpositive_cost";
    public const string SecuritySeverity = "security_severity";
    public const string UnknownSchemaVersion = "unknown_schema_version";
    public const string InvalidSchemaVersion = "invalid_schema_version";
    public const string PayloadMismatch = "payload_mismatch";

    /// <summary>NaN or ±Infinity where a finite number is required.</summary>
    public const string InvalidValue = "invalid_value";

    public const string RateLimited = "rate_limited";
    public const string UnknownCurrency = "unknown_currency";
    public const string MalformedEvent = "malformed_event";
    public const string InvalidUtf8 = "invalid_utf8";

    /// <summary>The code for <paramref name="rejection"/>; <c>null</c> for <see cref="Rejection.None"/>.</summary>
    /// <remarks>Returns interned literals, so it never allocates.</remarks>
    public static string? Of(Rejection rejection) => rejection switch
    {
        Rejection.None => null,
        Rejection.MissingField => MissingField,
        Rejection.InvalidUuid => InvalidUuid,
        Rejection.TimestampOutOfRange => TimestampOutOfRange,
        Rejection.NegativeMetric => NegativeMetric,
        Rejection.NonPositiveCost => NonPositiveCost,
        Rejection.SecuritySeverity => SecuritySeverity,
        Rejection.UnknownSchemaVersion => UnknownSchemaVersion,
        Rejection.InvalidSchemaVersion => InvalidSchemaVersion,
        Rejection.PayloadMismatch => PayloadMismatch,
        Rejection.InvalidValue => InvalidValue,
        Rejection.RateLimited => RateLimited,
        Rejection.UnknownCurrency => UnknownCurrency,
        Rejection.MalformedEvent => MalformedEvent,
        Rejection.InvalidUtf8 => InvalidUtf8,
        _ => throw new ArgumentOutOfRangeException(nameof(rejection)),
    };
}
