using AnalyticsHub.Server.Configuration;

namespace AnalyticsHub.Server.UnitTests.Metrics;

/// <summary><c>Hub:Ports:Metrics</c> at startup: its own port, or 0 for none.</summary>
public sealed class MetricsPortValidationTests
{
    [Theory]
    [InlineData(8080)]
    [InlineData(50051)]
    public void MetricsPort_SharedWithAnotherListener_IsRefused(int port)
    {
        var options = new HubOptions();
        options.Ports.Metrics = port;

        Assert.Contains(HubOptionsValidation.Validate(options), e => e.StartsWith("Hub:Ports:Metrics", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9090)]
    public void MetricsPort_OwnOrOff_IsAccepted(int port)
    {
        var options = new HubOptions();
        options.Ports.Metrics = port;

        Assert.DoesNotContain(HubOptionsValidation.Validate(options), e => e.Contains("Metrics", StringComparison.Ordinal));
    }
}
