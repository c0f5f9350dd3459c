using AnalyticsHub.Core.Events;

namespace AnalyticsHub.Core.Validation;

/// <summary>Per-payload range and consistency rules, one small pure function each.</summary>
public static class PayloadRules
{
    /// <summary>
    /// A telemetry metric value must be finite (<see cref="Rejection.InvalidValue"/>) and ≥ 0
    /// (<see cref="Rejection.NegativeMetric"/>). −0.0 counts as 0. Check after unit normalization:
    /// a conversion that overflows yields ∞ and is caught here.
    /// </summary>
    public static Rejection CheckMetricValue(double value)
    {
        if (!double.IsFinite(value))
        {
            return Rejection.InvalidValue;
        }

        return value >= 0 ? Rejection.None : Rejection.NegativeMetric;
    }

    /// <summary>
    /// A cost amount must be finite (<see cref="Rejection.InvalidValue"/>) and &gt; 0
    /// (<see cref="Rejection.NonPositiveCost"/>): a zero-cost event carries no cost and a credit
    /// is not an event the platform emits.
    /// </summary>
    public static Rejection CheckCostAmount(double amount)
    {
        if (!double.IsFinite(amount))
        {
            return Rejection.InvalidValue;
        }

        return amount > 0 ? Rejection.None : Rejection.NonPositiveCost;
    }

    /// <summary>
    /// A security event is at least a warning: Warning, Error or Critical. Anything else,
    /// Unspecified and out-of-range values included, is <see cref="Rejection.SecuritySeverity"/>.
    /// </summary>
    public static Rejection CheckSecuritySeverity(Severity severity) =>
        severity is Severity.Warning or Severity.Error or Severity.Critical
            ? Rejection.None
            : Rejection.SecuritySeverity;

    /// <summary>
    /// The payload must be the one its event type names (Telemetry↔Telemetry, …, Policy↔Policy).
    /// A Custom payload is allowed with any event type: it is the escape hatch for shapes the
    /// schema does not know yet. An unset event type or payload is <see cref="Rejection.MissingField"/>.
    /// </summary>
    public static Rejection CheckPayloadKind(EventType eventType, PayloadKind payloadKind)
    {
        if (eventType == EventType.Unspecified || payloadKind == PayloadKind.None)
        {
            return Rejection.MissingField;
        }

        if (payloadKind == PayloadKind.Custom)
        {
            return Rejection.None;
        }

        return ExpectedPayload(eventType) == payloadKind ? Rejection.None : Rejection.PayloadMismatch;
    }

    // A switch, not a table: undefined enum values (decoded from newer producers) map to None
    // and so never match.
    private static PayloadKind ExpectedPayload(EventType eventType) => eventType switch
    {
        EventType.Telemetry => PayloadKind.Telemetry,
        EventType.Security => PayloadKind.Security,
        EventType.Cost => PayloadKind.Cost,
        EventType.Governance => PayloadKind.Governance,
        EventType.Metadata => PayloadKind.Metadata,
        EventType.Policy => PayloadKind.Policy,
        _ => PayloadKind.None,
    };
}
