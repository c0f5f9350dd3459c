namespace AnalyticsHub.Core.Validation;

/// <summary>
/// Why an event is rejected, as one byte so a row or a per-event result column can carry it
/// without a reference. <see cref="RejectionCodes.Of"/> gives the stable wire code.
/// </summary>
public enum Rejection : byte
{
    /// <summary>Accepted.</summary>
    None = 0,
    MissingField,
    InvalidUuid,
    TimestampOutOfRange,
    NegativeMetric,
    NonPositiveCost,
    SecuritySeverity,
    UnknownSchemaVersion,
    InvalidSchemaVersion,
    PayloadMismatch,
    InvalidValue,
    RateLimited,
    UnknownCurrency,

    /// <summary>The event's bytes could not be decoded (see <c>EventRow.DecodeError</c>).</summary>
    MalformedEvent,

    /// <summary>A string field is not valid UTF-8 (proto3 requires it).</summary>
    InvalidUtf8,
}
