using System.Diagnostics;
using System.Diagnostics.Metrics;
using AnalyticsHub.Core.Validation;
using AnalyticsHub.Protocol.Ingest;

namespace AnalyticsHub.Server.Ingestion;

/// <summary>
/// Ingest metrics (meter <c>AnalyticsHub.Ingest</c>) and the dead-letter rate alarm: when the
/// share of rejected events over the last window exceeds the threshold, one warning is logged
/// per window and <c>hub_ingest_dead_letter_rate_high</c> reads 1.
/// </summary>
public sealed class IngestCounters : IDisposable
{
    public const string MeterName = "AnalyticsHub.Ingest";

    private static readonly KeyValuePair<string, object?>[][] ReasonTags = BuildReasonTags();
    private static readonly KeyValuePair<string, object?>[][] TransportTags =
        [[new("transport", "grpc")], [new("transport", "websocket")]];

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _received;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _batches;
    private readonly Counter<long> _bytes;
    private readonly Histogram<double> _ackLatency;
    private readonly Histogram<int> _batchSize;
    private readonly UpDownCounter<long> _activeStreams;
    private readonly ILogger _logger;
    private readonly double _threshold;
    private readonly long _windowTicks;

    private long _windowStart = Stopwatch.GetTimestamp();
    private long _windowReceived;
    private long _windowRejected;
    private int _rateHigh;

    public IngestCounters(ILogger<IngestCounters> logger, double deadLetterRateWarning, TimeSpan window)
    {
        _logger = logger;
        _threshold = deadLetterRateWarning;
        _windowTicks = (long)(window.TotalSeconds * Stopwatch.Frequency);
        _received = _meter.CreateCounter<long>("hub_ingest_events_received", "{event}", "Events received, before validation.");
        _accepted = _meter.CreateCounter<long>("hub_ingest_events_accepted", "{event}", "Events accepted and appended to the WAL.");
        _rejected = _meter.CreateCounter<long>("hub_ingest_events_rejected", "{event}", "Events rejected, by reason code (kept as dead letters).");
        _duplicates = _meter.CreateCounter<long>("hub_ingest_events_duplicate", "{event}", "Events repeating an event_id inside the duplicate window.");
        _retried = _meter.CreateCounter<long>("hub_ingest_batches_retried", "{batch}", "Retried batches answered from the idempotency table.");
        _batches = _meter.CreateCounter<long>("hub_ingest_batches", "{batch}", "Batches admitted.");
        _bytes = _meter.CreateCounter<long>("hub_ingest_bytes", "By", "Request bytes of admitted batches.");
        _ackLatency = _meter.CreateHistogram<double>("hub_ingest_ack_latency", "s", "From a batch's arrival to its durable acknowledgement.");
        _batchSize = _meter.CreateHistogram<int>("hub_ingest_batch_size", "{event}", "Events per admitted batch (gRPC message, REST body or WebSocket message).");
        _activeStreams = _meter.CreateUpDownCounter<long>("hub_ingest_streams_active", "{stream}", "Open ingest streams, by transport (grpc StreamEvents, websocket /ws/events).");
        _meter.CreateObservableGauge("hub_ingest_dead_letter_rate_high", () => Volatile.Read(ref _rateHigh), "{bool}",
            "1 while the share of rejected events is above Hub:Ingest:DeadLetterRateWarning.");
    }

    public void BatchAdmitted(int events, in AdmissionCounts counts, int bytes)
    {
        _batches.Add(1);
        _batchSize.Record(events);
        _bytes.Add(bytes);
        _received.Add(events);
        _accepted.Add(counts.Accepted);
        if (counts.Duplicates > 0)
        {
            _duplicates.Add(counts.Duplicates);
        }

        Interlocked.Add(ref _windowReceived, events);
        if (counts.Rejected > 0)
        {
            Interlocked.Add(ref _windowRejected, counts.Rejected);
        }

        CheckRate();
    }

    public void BatchRetried(int events)
    {
        _retried.Add(1);
        _received.Add(events);
    }

    public void Rejected(Rejection rejection) => _rejected.Add(1, ReasonTags[(int)rejection]);

    /// <summary>An ingest stream opened; pair with <see cref="StreamClosed"/>.</summary>
    public void StreamOpened(IngestTransport transport) => _activeStreams.Add(1, TransportTags[(int)transport]);

    public void StreamClosed(IngestTransport transport) => _activeStreams.Add(-1, TransportTags[(int)transport]);

    public void AckSent(long startTimestamp) => _ackLatency.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds);

    public void Dispose() => _meter.Dispose();

    private void CheckRate()
    {
        long start = Volatile.Read(ref _windowStart);
        long now = Stopwatch.GetTimestamp();
        if (now - start < _windowTicks || Interlocked.CompareExchange(ref _windowStart, now, start) != start)
        {
            return;
        }

        long received = Interlocked.Exchange(ref _windowReceived, 0);
        long rejected = Interlocked.Exchange(ref _windowRejected, 0);
        double rate = received == 0 ? 0 : (double)rejected / received;
        bool high = received > 0 && rate > _threshold;
        Volatile.Write(ref _rateHigh, high ? 1 : 0);
        if (high)
        {
            IngestLog.DeadLetterRateHigh(_logger, rate, _threshold, rejected, received);
        }
    }

    private static KeyValuePair<string, object?>[][] BuildReasonTags()
    {
        var values = Enum.GetValues<Rejection>();
        var tags = new KeyValuePair<string, object?>[values.Max(v => (int)v) + 1][];
        foreach (var value in values)
        {
            tags[(int)value] = [new("reason", RejectionCodes.Of(value) ?? "none")];
        }
        return tags;
    }
}

/// <summary>The long-lived ingest streams, a bounded label of <c>hub_ingest_streams_active</c>.</summary>
public enum IngestTransport
{
    Grpc,
    WebSocket,
}
