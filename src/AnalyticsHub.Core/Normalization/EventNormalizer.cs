using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Validation;

namespace AnalyticsHub.Core.Normalization;

/// <summary>
/// Rewrites a decoded row's columns into the hub's canonical form, in place: the timestamp
/// corrected for its module's clock skew, the payload value in its canonical unit (ms, bytes,
/// per second, USD), a missing severity taken from the payload's own vocabulary, and the seed's
/// renamed Registry/Policy fields promoted onto the common columns. The row's
/// <see cref="EventRow.Raw"/> bytes stay as sent. Allocation-free; immutable, so shareable.
/// </summary>
/// <remarks>
/// Run before <see cref="EventValidator"/>: the timestamp window and the value rules judge the
/// normalized values (a 5 s latency is 5000 ms; a skewed clock is corrected before the window).
/// </remarks>
public sealed class EventNormalizer
{
    public EventNormalizer(ClockSkew? clockSkew = null, CurrencyNormalizer? currencies = null)
    {
        ClockSkew = clockSkew ?? ClockSkew.None;
        Currencies = currencies ?? new CurrencyNormalizer();
    }

    public ClockSkew ClockSkew { get; }

    public CurrencyNormalizer Currencies { get; }

    /// <summary>
    /// Normalizes <paramref name="row"/>. Returns <see cref="Rejection.UnknownCurrency"/> for a
    /// cost in a currency without a rate (its value is then left as given), else
    /// <see cref="Rejection.None"/>. Rows that failed to decode are left untouched.
    /// </summary>
    public Rejection Normalize(EventBatch batch, ref EventRow row)
    {
        if (row.DecodeError != EventDecodeError.None)
        {
            return Rejection.None;
        }

        row.TimeUnixNano = ClockSkew.Apply(row.SourceModule, row.TimeUnixNano);
        PromoteRenamedFields(batch, ref row);

        switch (row.PayloadKind)
        {
            case PayloadKind.Telemetry:
                if (UnitNormalizer.TryNormalize(batch.Bytes(row.PayloadUnit), row.PayloadValue, out double value, out _))
                {
                    row.PayloadValue = value;
                    row.ValueDimension = UnitNormalizer.DimensionOf(batch.Bytes(row.PayloadUnit));
                }
                break;

            case PayloadKind.Cost:
                var currency = Currencies.TryToUsd(batch.Bytes(row.PayloadUnit), row.PayloadValue, out double usd);
                if (currency != Rejection.None)
                {
                    return currency;
                }
                row.PayloadValue = usd;
                row.ValueDimension = UnitDimension.Usd;
                break;

            case PayloadKind.Security when row.Severity == Severity.Unspecified:
                // threat_level ("high", "CRITICAL", …) speaks for an event that set no severity.
                if (SeverityMapper.TryMap(batch.Bytes(row.PayloadUnit), out var threat))
                {
                    row.Severity = threat;
                }
                break;
        }

        return Rejection.None;
    }

    /// <summary>
    /// The seed's renames that land on common columns: a Registry attribute <c>id</c> is the
    /// asset_id, <c>model_version</c> the version; a Policy Engine detail <c>policy_name</c> is the
    /// policy_id and <c>level</c> the severity. An explicitly set common field always wins over a renamed one.
    /// Depends on nothing but the row, so readers of the WAL (which records only the configuration-dependent
    /// results) apply it again to get the same columns.
    /// </summary>
    public static void PromoteRenamedFields(EventBatch batch, ref EventRow row)
    {
        if (row.SourceModule is not (SourceModule.LlmRegistry or SourceModule.LlmPolicyEngine) || row.PayloadPairCount == 0)
        {
            return;
        }

        foreach (var pair in batch.PairsOf(row.PayloadPairStart, row.PayloadPairCount))
        {
            if (!FieldMappings.TryMap(row.SourceModule, batch.Bytes(pair.Key), out var canonical))
            {
                continue;
            }

            if (canonical.SequenceEqual("asset_id"u8) && row.AssetId.Length == 0)
            {
                row.AssetId = pair.Value;
            }
            else if (canonical.SequenceEqual("version"u8) && row.PayloadKind == PayloadKind.Metadata && row.PayloadUnit.Length == 0)
            {
                row.PayloadUnit = pair.Value; // metadata.version
            }
            else if (canonical.SequenceEqual("policy_id"u8) && row.PayloadKind == PayloadKind.Policy && row.PayloadName.Length == 0)
            {
                row.PayloadName = pair.Value; // policy.policy_id
            }
            else if (canonical.SequenceEqual("severity"u8) && row.Severity == Severity.Unspecified
                && SeverityMapper.TryMap(batch.Bytes(pair.Value), out var level))
            {
                row.Severity = level;
            }
        }
    }
}
