using AnalyticsHub.Core.Validation;

namespace AnalyticsHub.Core.Tests.Validation;

public sealed class RejectionCodesTests
{
    [Theory]
    [InlineData(Rejection.MissingField, "missing_field")]
    [InlineData(Rejection.InvalidUuid, "invalid_uuid")]
    [InlineData(Rejection.TimestampOutOfRange, "timestamp_out_of_range")]
    [InlineData(Rejection.NegativeMetric, "negative_metric")]
    [InlineData(Rejection.NonPositiveCost, "nonpositive_cost")]
    [InlineData(Rejection.SecuritySeverity, "security_severity")]
    [InlineData(Rejection.UnknownSchemaVersion, "unknown_schema_version")]
    [InlineData(Rejection.InvalidSchemaVersion, "invalid_schema_version")]
    [InlineData(Rejection.PayloadMismatch, "payload_mismatch")]
    [InlineData(Rejection.InvalidValue, "invalid_value")]
    [InlineData(Rejection.RateLimited, "rate_limited")]
    [InlineData(Rejection.UnknownCurrency, "unknown_currency")]
    [InlineData(Rejection.MalformedEvent, "malformed_event")]
    [InlineData(Rejection.InvalidUtf8, "invalid_utf8")]
    public void Of_GivesTheStableWireCode(Rejection rejection, string code) =>
        Assert.Equal(code, RejectionCodes.Of(rejection));

    [Fact]
    public void Of_None_IsNull() => Assert.Null(RejectionCodes.Of(Rejection.None));

    [Fact]
    public void Of_EveryDefinedRejection_HasADistinctCode()
    {
        var codes = Enum.GetValues<Rejection>().Where(r => r != Rejection.None).Select(RejectionCodes.Of).ToList();
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^[a-z][a-z0-9]*(_[a-z0-9]+)*$", c));
    }

    [Fact]
    public void Of_UndefinedValue_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RejectionCodes.Of((Rejection)200));
}
