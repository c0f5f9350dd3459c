using System.Diagnostics.Metrics;
using AnalyticsHub.Core.Rollups;

namespace AnalyticsHub.Server.Rollups;

/// <summary>The rollup worker's state for readiness and the meter <c>AnalyticsHub.Rollups</c>.</summary>
public sealed class RollupStatus : IDisposable
{
    public const string MeterName = "AnalyticsHub.Rollups";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _flushedRows;
    private readonly Counter<long> _flushErrors;
    private readonly Histogram<double> _flushDuration;
    private volatile string? _problem = "rollups are warming up";
    private long _appliedUntil;
    private long _flushedUntil;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RollupStatus(RollupEngine engine)
    {
        _flushedRows = _meter.CreateCounter<long>("hub.rollup.flush.rows", "{row}", "Rollup rows written to the store.");
        _flushErrors = _meter.CreateCounter<long>("hub.rollup.flush.errors", "{error}", "Rollup flushes the store did not take.");
        _flushDuration = _meter.CreateHistogram<double>("hub.rollup.flush.duration", "ms", "Time to write one rollup flush.");
        _meter.CreateObservableGauge("hub.rollup.series", () => (long)engine.Series.Count, "{series}", "Rollup series in memory.");
        _meter.CreateObservableCounter("hub.rollup.overflow.events", () => engine.Series.OverflowEvents, "{event}", "Events counted in __other__ series because their tenant reached its series cap.");
        _meter.CreateObservableCounter("hub.rollup.direct.events", () => engine.DirectEvents, "{event}", "Events outside the 1 s window, added to 1 m/1 h/1 d buckets directly.");
        _meter.CreateObservableGauge("hub.rollup.unflushed.bytes", () => Math.Max(0, Volatile.Read(ref _appliedUntil) - Volatile.Read(ref _flushedUntil)), "By", "WAL bytes rolled up but not yet persisted.");
    }

    /// <summary>Null when rollups are current; otherwise what is wrong.</summary>
    public string? Problem => _problem;

    public long FlushedUntil => Volatile.Read(ref _flushedUntil);

    /// <summary>Completes once persisted rollups are back in memory and the WAL replay started: before that, memory holds nothing queries could use.</summary>
    public Task Ready => _ready.Task;

    public void OnReady(long replayFrom)
    {
        Volatile.Write(ref _flushedUntil, replayFrom);
        _problem = null;
        _ready.TrySetResult();
    }

    public void OnApplied(long until) => Volatile.Write(ref _appliedUntil, until);

    public void OnFlushed(long until, int rows, double milliseconds)
    {
        Volatile.Write(ref _flushedUntil, until);
        _flushedRows.Add(rows);
        _flushDuration.Record(milliseconds);
        _problem = null;
    }

    public void OnFlushFailed(string reason)
    {
        _flushErrors.Add(1);
        _problem = "rollups cannot be persisted: " + reason;
    }

    public void OnStopped(string reason) => _problem = reason;

    public void Dispose() => _meter.Dispose();
}
