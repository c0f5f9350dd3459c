using System.Text;
using AnalyticsHub.Core.Validation;

namespace AnalyticsHub.Core.Tests.Validation;

public sealed class SemanticVersionTests
{
    [Theory]
    [InlineData("0.0.0", 0, 0, 0, false, false)]
    [InlineData("1.2.3", 1, 2, 3, false, false)]
    [InlineData("10.20.30", 10, 20, 30, false, false)]
    [InlineData("1.0.0-alpha", 1, 0, 0, true, false)]
    [InlineData("1.0.0-alpha.1", 1, 0, 0, true, false)]
    [InlineData("1.0.0-0.3.7", 1, 0, 0, true, false)]
    [InlineData("1.0.0-x.7.z.92", 1, 0, 0, true, false)]
    [InlineData("1.0.0-x-y-z.--", 1, 0, 0, true, false)]
    [InlineData("1.0.0-alpha0.valid", 1, 0, 0, true, false)]
    [InlineData("1.0.0-0A.is.legal", 1, 0, 0, true, false)]
    [InlineData("1.0.0+20130313144700", 1, 0, 0, false, true)]
    [InlineData("1.0.0+001", 1, 0, 0, false, true)] // build identifiers may have leading zeros
    [InlineData("1.0.0-beta+exp.sha.5114f85", 1, 0, 0, true, true)]
    [InlineData("1.0.0+21AF26D3----117B344092BD", 1, 0, 0, false, true)]
    [InlineData("2147483647.2147483647.2147483647", int.MaxValue, int.MaxValue, int.MaxValue, false, false)]
    public void TryParse_Valid(string text, int major, int minor, int patch, bool prerelease, bool build)
    {
        Assert.True(SemanticVersion.TryParse(Encoding.UTF8.GetBytes(text), out var v));
        Assert.Equal(new SemanticVersion(major, minor, patch, prerelease, build), v);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("1")]
    [InlineData("1.2")]
    [InlineData("1.2.3.4")]
    [InlineData("1.2.")]
    [InlineData(".1.2")]
    [InlineData("1..3")]
    [InlineData("v1.2.3")]
    [InlineData("V1.2.3")]
    [InlineData(" 1.2.3")]
    [InlineData("1.2.3 ")]
    [InlineData("01.2.3")]
    [InlineData("1.02.3")]
    [InlineData("1.2.03")]
    [InlineData("00.0.0")]
    [InlineData("-1.2.3")]
    [InlineData("+1.2.3")]
    [InlineData("1.2.3-")]
    [InlineData("1.2.3+")]
    [InlineData("1.2.3-+")]
    [InlineData("1.2.3-01")] // numeric pre-release identifier with a leading zero
    [InlineData("1.2.3-alpha.01")]
    [InlineData("1.2.3-alpha..1")]
    [InlineData("1.2.3-alpha.")]
    [InlineData("1.2.3+build.")]
    [InlineData("1.2.3+build..1")]
    [InlineData("1.2.3+a+b")]
    [InlineData("1.2.3-alpha_beta")]
    [InlineData("1.2.3-αλφα")]
    [InlineData("1.2.3#")]
    [InlineData("2147483648.0.0")] // int overflow
    [InlineData("0.2147483648.0")]
    [InlineData("0.0.99999999999999999999")]
    [InlineData("1.2.3\n")]
    public void TryParse_Invalid(string text)
    {
        Assert.False(SemanticVersion.TryParse(Encoding.UTF8.GetBytes(text), out var v));
        Assert.Equal(default, v);
    }
}
