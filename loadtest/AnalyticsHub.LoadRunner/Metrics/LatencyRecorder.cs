namespace AnalyticsHub.LoadRunner.Metrics;

/// <summary>
/// Collects what the workers observe — one call per acknowledged batch or failure — into the
/// run's totals, the steady-state latency histogram and the current interval. One lock: calls are
/// per batch (about a thousand a second at 1M events/s with 1,000-event batches), not per event.
/// </summary>
public sealed class LatencyRecorder
{
    private readonly Lock _gate = new();
    private readonly LogLinearHistogram _steady = new();
    private readonly LogLinearHistogram _interval = new();
    private readonly Dictionary<string, long> _errors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _rejectionCodes = new(StringComparer.Ordinal);
    private readonly RunTotals _totals = new();
    private bool _measuring;
    private long _intervalEvents;
    private long _intervalAccepted;
    private long _intervalBatches;
    private long _intervalErrors;

    /// <summary>Counts a batch written (before its ack).</summary>
    public void BatchSent(int events)
    {
        lock (_gate)
        {
            _totals.BatchesSent++;
            _totals.EventsSent += events;
        }
    }

    /// <summary>A batch was acknowledged after <paramref name="latencyNanos"/>.</summary>
    public void Ack(long latencyNanos, int events, long accepted, long rejected, long duplicates)
    {
        lock (_gate)
        {
            _totals.BatchesAcked++;
            _totals.EventsAcked += events;
            _totals.Accepted += accepted;
            _totals.Rejected += rejected;
            _totals.Duplicates += duplicates;
            _intervalEvents += events;
            _intervalAccepted += accepted;
            _intervalBatches++;
            _interval.Record(latencyNanos);
            if (_measuring)
            {
                _steady.Record(latencyNanos);
                _totals.SteadyBatchesAcked++;
                _totals.SteadyEventsAcked += events;
            }
        }
    }

    /// <summary>Counts rejections by reason code (only called for acks with rejections).</summary>
    public void Rejections(IEnumerable<string> codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        lock (_gate)
        {
            foreach (var code in codes)
            {
                _rejectionCodes[code] = _rejectionCodes.GetValueOrDefault(code) + 1;
            }
        }
    }

    /// <summary>
    /// A failure, by kind ("grpc UNAVAILABLE", "http 429", ...); <paramref name="batches"/> is the
    /// number of batches it cost (their fate is unknown to the client).
    /// </summary>
    public void Error(string kind, long batches = 1)
    {
        lock (_gate)
        {
            _errors[kind] = _errors.GetValueOrDefault(kind) + Math.Max(batches, 1);
            _intervalErrors += Math.Max(batches, 1);
            _totals.BatchesFailed += batches;
        }
    }

    /// <summary>Ends the warmup: latencies from now on count in the steady-state histogram.</summary>
    public void StartMeasuring()
    {
        lock (_gate)
        {
            _steady.Reset();
            _measuring = true;
        }
    }

    public void StopMeasuring()
    {
        lock (_gate)
        {
            _measuring = false;
        }
    }

    /// <summary>Closes the current interval and starts the next.</summary>
    public IntervalSample CloseInterval(int index, RunPhase phase, double seconds, double clientCpuPercent)
    {
        lock (_gate)
        {
            var sample = new IntervalSample(
                index,
                phase,
                seconds,
                _intervalEvents,
                _intervalAccepted,
                _intervalBatches,
                _intervalErrors,
                _interval.ValueAtPercentile(50),
                _interval.ValueAtPercentile(95),
                _interval.ValueAtPercentile(99),
                _interval.Max,
                clientCpuPercent);
            _interval.Reset();
            _intervalEvents = 0;
            _intervalAccepted = 0;
            _intervalBatches = 0;
            _intervalErrors = 0;
            return sample;
        }
    }

    /// <summary>A copy of the steady-state latency histogram.</summary>
    public LogLinearHistogram SteadyLatencies()
    {
        lock (_gate)
        {
            var copy = new LogLinearHistogram();
            copy.Add(_steady);
            return copy;
        }
    }

    public RunTotals Totals()
    {
        lock (_gate)
        {
            return _totals.Clone();
        }
    }

    public IReadOnlyDictionary<string, long> Errors()
    {
        lock (_gate)
        {
            return new Dictionary<string, long>(_errors, StringComparer.Ordinal);
        }
    }

    public IReadOnlyDictionary<string, long> RejectionCodes()
    {
        lock (_gate)
        {
            return new Dictionary<string, long>(_rejectionCodes, StringComparer.Ordinal);
        }
    }
}
