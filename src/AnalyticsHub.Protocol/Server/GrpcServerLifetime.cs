using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AnalyticsHub.Protocol.Server;

/// <summary>
/// Shutdown signals for calls: <see cref="Stopping"/> fires when shutdown begins (long-lived
/// streams should end), <see cref="Aborting"/> after <see cref="GrpcServerOptions.ShutdownDrainTimeout"/>
/// (every call still running is cancelled and answered UNAVAILABLE).
/// </summary>
public sealed class GrpcServerLifetime : IDisposable
{
    private readonly CancellationTokenSource _aborting = new();
    private readonly CancellationTokenRegistration _registration;

    public GrpcServerLifetime(IHostApplicationLifetime lifetime, IOptions<GrpcServerOptions> options)
    {
        Stopping = lifetime.ApplicationStopping;
        var drain = options.Value.ShutdownDrainTimeout;
        _registration = Stopping.Register(() => _aborting.CancelAfter(drain));
    }

    public CancellationToken Stopping { get; }

    public CancellationToken Aborting => _aborting.Token;

    public void Dispose()
    {
        _registration.Dispose();
        _aborting.Dispose();
    }
}
