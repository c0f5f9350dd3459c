using AnalyticsHub.Server.Configuration;
using AnalyticsHub.Server.Tracing;

namespace AnalyticsHub.Server.UnitTests.Tracing;

/// <summary><c>Hub:Tracing</c>: what startup refuses, and where spans are sent.</summary>
public sealed class TracingOptionsTests
{
    [Fact]
    public void Defaults_AreOff_AndValid()
    {
        var hub = new HubOptions();

        Assert.False(hub.Tracing.Enabled);
        Assert.Equal(("grpc", 1.0, "analyticshub"), (hub.Tracing.Protocol, hub.Tracing.SampleRatio, hub.Tracing.ServiceName));
        Assert.DoesNotContain(HubOptionsValidation.Validate(hub), e => e.Contains("Tracing", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("OtlpEndpoint", "localhost:4317", "Hub:Tracing:OtlpEndpoint 'localhost:4317' is not an http(s) URL")]
    [InlineData("OtlpEndpoint", "ftp://collector/", "Hub:Tracing:OtlpEndpoint 'ftp://collector/' is not an http(s) URL")]
    [InlineData("Protocol", "http/json", "Hub:Tracing:Protocol 'http/json' is not one of: grpc, http/protobuf")]
    [InlineData("SampleRatio", "-0.1", "Hub:Tracing:SampleRatio -0.1 is not between 0 and 1")]
    [InlineData("SampleRatio", "NaN", "Hub:Tracing:SampleRatio NaN is not between 0 and 1")]
    [InlineData("ServiceName", " ", "Hub:Tracing:ServiceName must not be empty")]
    [InlineData("ExportIntervalMs", "0", "Hub:Tracing:ExportIntervalMs 0 is not between 1 and 600000")]
    public void InvalidValue_IsNamedAtStartup(string key, string value, string expected)
    {
        var hub = new HubOptions();
        var tracing = hub.Tracing;
        switch (key)
        {
            case "OtlpEndpoint": tracing.OtlpEndpoint = value; break;
            case "Protocol": tracing.Protocol = value; break;
            case "SampleRatio": tracing.SampleRatio = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "ServiceName": tracing.ServiceName = value; break;
            case "ExportIntervalMs": tracing.ExportIntervalMs = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
        }

        Assert.Contains(HubOptionsValidation.Validate(hub), e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http/protobuf", "http://collector:4318", "http://collector:4318/v1/traces")]
    [InlineData("http/protobuf", "https://otel.example.com/otlp/", "https://otel.example.com/otlp/v1/traces")]
    [InlineData("http/protobuf", "http://collector:4318/v1/traces", "http://collector:4318/v1/traces")]
    [InlineData("grpc", "http://collector:4317", "http://collector:4317/")]
    public void ExportEndpoint_AddsTheTracesPathForHttpOnly(string protocol, string endpoint, string expected)
    {
        var tracing = new TracingOptions { OtlpEndpoint = endpoint, Protocol = protocol };

        Assert.Equal(expected, TracingSetup.ExportEndpoint(tracing).ToString());
    }
}
