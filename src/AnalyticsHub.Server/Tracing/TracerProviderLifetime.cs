using OpenTelemetry.Trace;

namespace AnalyticsHub.Server.Tracing;

/// <summary>
/// Owns the tracer provider for the life of the process: a singleton resolved while the hub is built (so it listens before
/// the first request) and disposed with the container, after the server and the drainer have stopped, so their last spans
/// are flushed. The flush is bounded: an unreachable collector must not hold up a shutdown systemd is timing.
/// </summary>
public sealed class TracerProviderLifetime(TracerProvider provider) : IDisposable
{
    private const int ShutdownTimeoutMs = 5_000;

    public TracerProvider Provider => provider;

    public void Dispose()
    {
        provider.Shutdown(ShutdownTimeoutMs);
        provider.Dispose();
    }
}
