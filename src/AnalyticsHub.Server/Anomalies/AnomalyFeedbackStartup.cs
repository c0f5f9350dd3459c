namespace AnalyticsHub.Server.Anomalies;

/// <summary>
/// Opens the feedback store while the hub starts. Registered after ingestion, so an unusable data directory is
/// reported by the WAL first (exit code 3); a feedback file that cannot be read fails the start the same way.
/// </summary>
internal sealed class AnomalyFeedbackStartup(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<AnomalyFeedbackStore>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
