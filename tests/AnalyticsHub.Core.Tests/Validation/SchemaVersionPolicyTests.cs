using System.Text;
using AnalyticsHub.Core.Validation;

namespace AnalyticsHub.Core.Tests.Validation;

public sealed class SchemaVersionPolicyTests
{
    [Theory]
    [InlineData("", Rejection.None)] // empty is read as the current version
    [InlineData("5.0.0", Rejection.None)]
    [InlineData("5.9.1-rc.1+build.7", Rejection.None)]
    [InlineData("4.1.0", Rejection.None)]
    [InlineData("3.0.0", Rejection.None)] // N-2
    [InlineData("2.9.9", Rejection.UnknownSchemaVersion)] // N-3
    [InlineData("0.1.0", Rejection.UnknownSchemaVersion)]
    [InlineData("6.0.0", Rejection.UnknownSchemaVersion)] // newer than the hub knows
    [InlineData("6.0.0-alpha", Rejection.UnknownSchemaVersion)]
    [InlineData("5", Rejection.InvalidSchemaVersion)]
    [InlineData("5.0", Rejection.InvalidSchemaVersion)]
    [InlineData("v5.0.0", Rejection.InvalidSchemaVersion)]
    [InlineData(" ", Rejection.InvalidSchemaVersion)]
    [InlineData("05.0.0", Rejection.InvalidSchemaVersion)]
    [InlineData("latest", Rejection.InvalidSchemaVersion)]
    public void Check_CurrentMajor5(string text, Rejection expected) =>
        Assert.Equal(expected, new SchemaVersionPolicy(5).Check(Encoding.UTF8.GetBytes(text)));

    [Theory]
    [InlineData(0, "0.3.0", Rejection.None)]
    [InlineData(0, "1.0.0", Rejection.UnknownSchemaVersion)]
    [InlineData(1, "0.9.0", Rejection.None)] // N-1 is 0
    [InlineData(1, "1.0.0", Rejection.None)]
    [InlineData(2, "0.1.0", Rejection.None)] // N-2 is 0
    [InlineData(3, "0.1.0", Rejection.UnknownSchemaVersion)]
    [InlineData(3, "1.0.0", Rejection.None)]
    public void Check_LowMajors_NeverGoBelowZero(int current, string text, Rejection expected) =>
        Assert.Equal(expected, new SchemaVersionPolicy(current).Check(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void Constructor_ExposesTheAcceptedRange()
    {
        var policy = new SchemaVersionPolicy(7);
        Assert.Equal(7, policy.CurrentMajor);
        Assert.Equal(5, policy.OldestMajor);
        Assert.Equal(1, new SchemaVersionPolicy().CurrentMajor);
        Assert.Equal(0, new SchemaVersionPolicy().OldestMajor);
    }

    [Fact]
    public void Constructor_NegativeMajor_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SchemaVersionPolicy(-1));

    [Fact]
    public void Check_MaxMajor_IsAccepted() =>
        Assert.Equal(Rejection.None, new SchemaVersionPolicy(int.MaxValue).Check("2147483645.0.0"u8));
}
