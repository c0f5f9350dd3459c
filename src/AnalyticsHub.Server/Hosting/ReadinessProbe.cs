using AnalyticsHub.Protocol.Health;
using AnalyticsHub.Server.Configuration;
using AnalyticsHub.Server.Storage;
using AnalyticsHub.Storage.Wal;
using Microsoft.Extensions.Options;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace AnalyticsHub.Server.Hosting;

/// <summary>
/// What <c>/readyz</c> and gRPC health report: the hub is ready when it is not shutting down and
/// its data directory is writable, the write-ahead log is healthy and under its backlog bound,
/// and the store answers (its drainer's last write or probe succeeded). A growing backlog is
/// reported (<c>degraded</c>) without making the hub unready: producers are still taken.
/// </summary>
public sealed class ReadinessProbe(
    IOptions<HubOptions> options, HealthService health, IHostApplicationLifetime lifetime, WriteAheadLog wal, DrainerStatus store)
{
    public ReadinessReport Check()
    {
        var checks = new Dictionary<string, string>(StringComparer.Ordinal);
        var ready = true;

        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            checks["lifecycle"] = "shutting down";
            ready = false;
        }
        else
        {
            checks["lifecycle"] = "running";
        }

        var dataDir = Path.GetFullPath(options.Value.DataDir);
        if (IsWritable(dataDir, out var problem))
        {
            checks["dataDir"] = "writable";
        }
        else
        {
            checks["dataDir"] = problem;
            ready = false;
        }

        if (wal.Fault is { } fault)
        {
            checks["wal"] = "unavailable: " + fault.Message;
            ready = false;
        }
        else if (wal.IsOverBacklog)
        {
            checks["wal"] = $"backlog full: {wal.BacklogBytes} of {wal.Options.MaxBacklogBytes} bytes retained; producers are pushed back";
            ready = false;
        }
        else
        {
            checks["wal"] = "ok";
        }

        var kind = options.Value.Storage.Kind;
        if (store.Healthy)
        {
            checks["store"] = $"{kind}: ok";
        }
        else
        {
            checks["store"] = $"{kind}: unreachable: {store.LastError ?? "not initialised yet"}";
            ready = false;
        }

        long backlog = store.BacklogBytes;
        checks["backlog"] = backlog > options.Value.Wal.MaxBacklogBytes / 4
            ? $"degraded: {backlog} bytes not yet in the store, oldest waiting {store.BacklogAgeMilliseconds} ms"
            : $"{backlog} bytes not yet in the store";

        // Keep gRPC health in step with what HTTP probes see.
        if (!lifetime.ApplicationStopping.IsCancellationRequested)
        {
            health.SetStatus("", ready ? ServingStatus.Serving : ServingStatus.NotServing);
        }

        return new ReadinessReport(ready ? "ready" : "not_ready", checks);
    }

    private static bool IsWritable(string directory, out string problem)
    {
        try
        {
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, ".readyz-probe");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            problem = "";
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = $"not writable: {ex.Message}";
            return false;
        }
    }
}

public sealed record ReadinessReport(string Status, IReadOnlyDictionary<string, string> Checks);
