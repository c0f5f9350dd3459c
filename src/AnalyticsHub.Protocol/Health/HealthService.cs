using System.Collections.Concurrent;
using AnalyticsHub.Protocol.Grpc;
using AnalyticsHub.Protocol.Server;
using Grpc.Health.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace AnalyticsHub.Protocol.Health;

/// <summary>
/// <c>grpc.health.v1.Health</c>: per-service serving status ("" is the whole server), read by
/// Check and streamed by Watch. A service served by this server reports the server's status
/// unless the host sets its own; shutdown turns them all NOT_SERVING.
/// </summary>
public sealed class HealthService(GrpcServiceRegistry registry)
{
    public const string ServiceName = "grpc.health.v1.Health";

    private readonly ConcurrentDictionary<string, ServingStatus> _statuses = new(StringComparer.Ordinal) { [""] = ServingStatus.Serving };
    private readonly Lock _changeLock = new();
    private TaskCompletionSource _changed = NewSignal();

    /// <summary>Sets a service's status and wakes every watcher.</summary>
    public void SetStatus(string service, ServingStatus status)
    {
        _statuses[service] = status;
        Signal();
    }

    /// <summary>Marks every known service NOT_SERVING (at shutdown).</summary>
    public void SetAllNotServing()
    {
        foreach (var key in _statuses.Keys)
        {
            _statuses[key] = ServingStatus.NotServing;
        }

        Signal();
    }

    /// <summary>The status of a service, or null when the server neither knows nor serves it.</summary>
    public ServingStatus? GetStatus(string service)
    {
        if (_statuses.TryGetValue(service, out var status))
        {
            return status;
        }

        return registry.HasService(service) ? _statuses[""] : null;
    }

    public void Register()
    {
        registry.AddService(HealthReflection.Descriptor.Services[0])
            .Unary<HealthCheckRequest, HealthCheckResponse>("Check", CheckAsync)
            .ServerStreaming<HealthCheckRequest, HealthCheckResponse>("Watch", WatchAsync);
    }

    private ValueTask<HealthCheckResponse> CheckAsync(HealthCheckRequest request, ServerCallContext context)
    {
        var status = GetStatus(request.Service)
            ?? throw new RpcException(StatusCode.NotFound, $"Unknown service '{request.Service}'.");
        return ValueTask.FromResult(new HealthCheckResponse { Status = status });
    }

    private async Task WatchAsync(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responses, ServerCallContext context)
    {
        ServingStatus? last = null;
        while (true)
        {
            Task changed;
            lock (_changeLock)
            {
                changed = _changed.Task;
            }

            var current = GetStatus(request.Service) ?? ServingStatus.ServiceUnknown;
            if (current != last)
            {
                await responses.WriteAsync(new HealthCheckResponse { Status = current }).ConfigureAwait(false);
                last = current;
            }

            if (context.ServerStopping.IsCancellationRequested)
            {
                // NOT_SERVING has been sent; the stream ends so clients reconnect elsewhere.
                throw new RpcException(StatusCode.Unavailable, "The server is shutting down.");
            }

            await changed.WaitAsync(context.CancellationToken).ConfigureAwait(false);
        }
    }

    private void Signal()
    {
        TaskCompletionSource previous;
        lock (_changeLock)
        {
            previous = _changed;
            _changed = NewSignal();
        }

        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
