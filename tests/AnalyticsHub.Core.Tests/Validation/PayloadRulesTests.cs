using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Validation;

namespace AnalyticsHub.Core.Tests.Validation;

public sealed class PayloadRulesTests
{
    [Theory]
    [InlineData(0.0, Rejection.None)]
    [InlineData(1.5, Rejection.None)]
    [InlineData(double.Epsilon, Rejection.None)]
    [InlineData(double.MaxValue, Rejection.None)]
    [InlineData(-double.Epsilon, Rejection.NegativeMetric)]
    [InlineData(-1.0, Rejection.NegativeMetric)]
    [InlineData(double.MinValue, Rejection.NegativeMetric)]
    [InlineData(double.NaN, Rejection.InvalidValue)]
    [InlineData(double.PositiveInfinity, Rejection.InvalidValue)]
    [InlineData(double.NegativeInfinity, Rejection.InvalidValue)]
    public void CheckMetricValue(double value, Rejection expected) =>
        Assert.Equal(expected, PayloadRules.CheckMetricValue(value));

    [Theory]
    [InlineData(0.01, Rejection.None)]
    [InlineData(double.Epsilon, Rejection.None)]
    [InlineData(double.MaxValue, Rejection.None)]
    [InlineData(0.0, Rejection.NonPositiveCost)]
    [InlineData(-5.0, Rejection.NonPositiveCost)]
    [InlineData(double.MinValue, Rejection.NonPositiveCost)]
    [InlineData(double.NaN, Rejection.InvalidValue)]
    [InlineData(double.PositiveInfinity, Rejection.InvalidValue)]
    [InlineData(double.NegativeInfinity, Rejection.InvalidValue)]
    public void CheckCostAmount(double amount, Rejection expected) =>
        Assert.Equal(expected, PayloadRules.CheckCostAmount(amount));

    [Fact]
    public void NegativeZero_IsZero()
    {
        // xunit treats 0.0 and -0.0 as the same InlineData, so this edge gets its own test.
        Assert.Equal(Rejection.None, PayloadRules.CheckMetricValue(-0.0));
        Assert.Equal(Rejection.NonPositiveCost, PayloadRules.CheckCostAmount(-0.0));
    }

    [Theory]
    [InlineData(Severity.Unspecified, Rejection.SecuritySeverity)]
    [InlineData(Severity.Debug, Rejection.SecuritySeverity)]
    [InlineData(Severity.Info, Rejection.SecuritySeverity)]
    [InlineData(Severity.Warning, Rejection.None)]
    [InlineData(Severity.Error, Rejection.None)]
    [InlineData(Severity.Critical, Rejection.None)]
    [InlineData((Severity)6, Rejection.SecuritySeverity)]
    [InlineData((Severity)255, Rejection.SecuritySeverity)]
    public void CheckSecuritySeverity(Severity severity, Rejection expected) =>
        Assert.Equal(expected, PayloadRules.CheckSecuritySeverity(severity));

    public static TheoryData<EventType, PayloadKind, Rejection> PayloadKindCases()
    {
        var data = new TheoryData<EventType, PayloadKind, Rejection>();
        EventType[] types = [EventType.Telemetry, EventType.Security, EventType.Cost, EventType.Governance, EventType.Metadata, EventType.Policy];
        PayloadKind[] kinds = [PayloadKind.Telemetry, PayloadKind.Security, PayloadKind.Cost, PayloadKind.Governance, PayloadKind.Metadata, PayloadKind.Policy];
        for (int t = 0; t < types.Length; t++)
        {
            for (int k = 0; k < kinds.Length; k++)
            {
                data.Add(types[t], kinds[k], t == k ? Rejection.None : Rejection.PayloadMismatch);
            }

            data.Add(types[t], PayloadKind.Custom, Rejection.None);
            data.Add(types[t], PayloadKind.None, Rejection.MissingField);
        }

        data.Add(EventType.Unspecified, PayloadKind.Telemetry, Rejection.MissingField);
        data.Add(EventType.Unspecified, PayloadKind.Custom, Rejection.MissingField);
        data.Add(EventType.Unspecified, PayloadKind.None, Rejection.MissingField);
        data.Add((EventType)42, PayloadKind.Telemetry, Rejection.PayloadMismatch);
        data.Add(EventType.Telemetry, (PayloadKind)99, Rejection.PayloadMismatch);
        return data;
    }

    [Theory]
    [MemberData(nameof(PayloadKindCases))]
    public void CheckPayloadKind_EveryPair(EventType eventType, PayloadKind kind, Rejection expected) =>
        Assert.Equal(expected, PayloadRules.CheckPayloadKind(eventType, kind));
}
