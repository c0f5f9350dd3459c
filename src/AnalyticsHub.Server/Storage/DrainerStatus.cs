using System.Diagnostics.Metrics;

namespace AnalyticsHub.Server.Storage;

/// <summary>
/// What the drainer is doing, for readiness and metrics: whether the store answers, the last
/// error, how far it has drained, rows and writes. Updated by the drainer's one loop; read by
/// any thread (meter <c>AnalyticsHub.Storage</c>).
/// </summary>
public sealed class DrainerStatus : IDisposable
{
    public const string MeterName = "AnalyticsHub.Storage";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _rows;
    private readonly Counter<long> _writeErrors;
    private readonly Counter<long> _writeRetries;
    private readonly Histogram<double> _writeMs;
    private readonly Histogram<long> _batchRows;
    private readonly Counter<long> _deadLetters;
    private long _storedUntil;
    private volatile string? _lastError;
    private volatile bool _healthy;
    private volatile string? _stopped;
    private long _oldestPendingTicks;
    private Func<long>? _tailAddress;

    public DrainerStatus()
    {
        _rows = _meter.CreateCounter<long>("hub.store.rows", "{event}", "Events written to the store");
        _writeErrors = _meter.CreateCounter<long>("hub.store.write.errors", "{error}", "Failed store writes (each retried)");
        _writeRetries = _meter.CreateCounter<long>("hub.store.write.retries", "{write}", "Store writes attempted again after a transient failure (with backoff)");
        _writeMs = _meter.CreateHistogram<double>("hub.store.write.duration", "ms", "Time of one store write");
        _batchRows = _meter.CreateHistogram<long>("hub.store.batch.rows", "{event}", "Events per store write");
        _deadLetters = _meter.CreateCounter<long>("hub.store.dead_letters", "{event}", "Events the store refused, moved to the dead-letter log");
        _meter.CreateObservableGauge("hub.store.up", () => Healthy ? 1 : 0, "{bool}", "1 while the store takes writes (the drainer's last write, probe or initialisation succeeded); 0 while it fails");
        _meter.CreateObservableGauge("hub.store.backlog.bytes", () => BacklogBytes, "By", "WAL bytes not yet in the store");
        _meter.CreateObservableGauge("hub.store.backlog.age", () => BacklogAgeMilliseconds / 1000.0, "s", "How long the oldest event not yet in the store has waited (0 when none)");
    }

    /// <summary>WAL bytes written but not yet in the store (0 until the WAL is bound).</summary>
    public long BacklogBytes => _tailAddress is { } tail ? Math.Max(0, tail() - StoredUntil) : 0;

    /// <summary>Milliseconds since the drainer first saw a backlog it has not yet cleared (0 when caught up).</summary>
    public long BacklogAgeMilliseconds
    {
        get
        {
            long since = Interlocked.Read(ref _oldestPendingTicks);
            return since == 0 || BacklogBytes == 0 ? 0 : Environment.TickCount64 - since;
        }
    }

    /// <summary>Where the WAL's tail is read from, for the backlog figures.</summary>
    public void BindTail(Func<long> tailAddress) => _tailAddress = tailAddress;

    /// <summary>True once the store accepted a write (or was initialised) and no write failed since.</summary>
    public bool Healthy => _healthy && _stopped is null;

    /// <summary>The most recent failure's message (null once a write succeeds again).</summary>
    public string? LastError => _stopped ?? _lastError;

    /// <summary>WAL address below which every accepted event is in the store.</summary>
    public long StoredUntil => Interlocked.Read(ref _storedUntil);

    public void OnStarted(long checkpoint)
    {
        Interlocked.Exchange(ref _storedUntil, checkpoint);
        _healthy = true;
        _lastError = null;
    }

    public void OnWrite(int rows, long milliseconds)
    {
        _rows.Add(rows);
        _batchRows.Record(rows);
        _writeMs.Record(milliseconds);
        _healthy = true;
        _lastError = null;
    }

    /// <summary>A failed write will be attempted again after its backoff.</summary>
    public void OnWriteRetry() => _writeRetries.Add(1);

    public void OnProbeSucceeded()
    {
        _healthy = true;
        _lastError = null;
    }

    public void OnWriteFailed(string message)
    {
        _writeErrors.Add(1);
        _healthy = false;
        _lastError = message;
    }

    public void OnStored(long until)
    {
        Interlocked.Exchange(ref _storedUntil, until);
        if (_tailAddress is not { } tail || tail() <= until)
        {
            Interlocked.Exchange(ref _oldestPendingTicks, 0); // caught up: the next record starts a new age
        }
    }

    /// <summary>The drainer read records it has not stored yet (starts the backlog's age if it was caught up).</summary>
    public void OnPending() => Interlocked.CompareExchange(ref _oldestPendingTicks, Environment.TickCount64, 0);

    public void OnDeadLettered() => _deadLetters.Add(1);

    public void OnStopped(string reason)
    {
        _stopped = reason;
        _healthy = false;
    }

    public void Dispose() => _meter.Dispose();
}
