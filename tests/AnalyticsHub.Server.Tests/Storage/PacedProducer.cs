using System.Collections.Concurrent;
using System.Diagnostics;
using AnalyticsHub.Client;
using AnalyticsHub.Contracts.V1;
using AnalyticsHub.Server.Tests.Ingestion;

namespace AnalyticsHub.Server.Tests.Storage;

/// <summary>
/// A steady producer for outage tests: one StreamEvents call for its whole life, numbered batches
/// of fresh events sent at a fixed rate (at most <c>maxInFlight</c> unacknowledged; when the hub
/// holds the stream it falls behind and catches up by at most one second's worth). Every ack is
/// checked (in order, right sequence, every event accepted) and timed. <see cref="StopAsync"/>
/// half-closes the stream and waits for the remaining acks; the call must then end with OK.
/// Any failure of the call is kept in <see cref="Failure"/> — an outage test wants none.
/// </summary>
internal sealed class PacedProducer(string producerId, int eventsPerBatch, int eventsPerSecond, int maxInFlight)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ulong, Guid[]> _sent = [];
    private readonly List<ulong> _acked = [];
    private readonly ConcurrentQueue<string> _problems = new();
    private readonly ConcurrentQueue<(double SentAtSeconds, double LatencyMs)> _latencies = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = new();
    private Task? _run;
    private long _ackedBatches;
    private long _writeStarted;

    public long SentBatches
    {
        get
        {
            lock (_gate)
            {
                return _sent.Count;
            }
        }
    }

    public long AckedBatches => Interlocked.Read(ref _ackedBatches);

    public long AckedEvents => AckedBatches * eventsPerBatch;

    /// <summary>Seconds since <see cref="Start"/> (the clock ack latencies are stamped with).</summary>
    public double Seconds => _clock.Elapsed.TotalSeconds;

    /// <summary>How long the current stream write has been waiting (zero between writes): flow control holding the producer.</summary>
    public TimeSpan WriteInProgressFor
    {
        get
        {
            long started = Volatile.Read(ref _writeStarted);
            return started == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(started);
        }
    }

    /// <summary>How the call failed, if it did (including a non-OK end after <see cref="StopAsync"/>).</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Wrong acks seen: must stay empty.</summary>
    public IReadOnlyCollection<string> Problems => _problems;

    public void Start(GrpcChannel channel, TimeSpan callTimeout)
    {
        _clock.Start();
        _run = Task.Run(() => RunAsync(channel, callTimeout));
    }

    /// <summary>
    /// Stops sending new batches, half-closes the stream and waits until the call ends; fails the
    /// test when it does not within <paramref name="timeout"/> (the hub holds the stream), with
    /// what <paramref name="describe"/> adds.
    /// </summary>
    public async Task StopAsync(TimeSpan timeout, Func<Task<string>>? describe = null)
    {
        await _stop.CancelAsync();
        try
        {
            await _run!.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the stream did not end within {timeout.TotalSeconds:0} s of its half-close ({SentBatches:N0} batches sent, {AckedBatches:N0} acked; " +
                $"writer waiting {WriteInProgressFor.TotalSeconds:0.0} s){(describe is null ? "" : ": " + await describe())}");
        }
    }

    public List<Guid> AckedIds()
    {
        lock (_gate)
        {
            return _acked.SelectMany(s => _sent[s]).ToList();
        }
    }

    public List<Guid> SentIds()
    {
        lock (_gate)
        {
            return _sent.Values.SelectMany(ids => ids).ToList();
        }
    }

    /// <summary>Ack latencies (ms) of batches sent in [from, to) seconds: count, p50, p99, max.</summary>
    public string LatencySummary(double from, double to)
    {
        var values = _latencies.Where(l => l.SentAtSeconds >= from && l.SentAtSeconds < to).Select(l => l.LatencyMs).Order().ToArray();
        if (values.Length == 0)
        {
            return "no acks";
        }

        double P(double q) => values[Math.Min(values.Length - 1, (int)(q * values.Length))];
        return $"{values.Length:N0} acks, latency p50 {P(0.5):0.0} ms, p99 {P(0.99):0.0} ms, max {values[^1]:0.0} ms";
    }

    private async Task RunAsync(GrpcChannel channel, TimeSpan callTimeout)
    {
        using var abort = new CancellationTokenSource(callTimeout);
        try
        {
            using var call = channel.StartDuplexStreamingCall(TestBatches.StreamEvents, new CallOptions { CancellationToken = abort.Token });
            using var window = new SemaphoreSlim(maxInFlight);
            var expected = new ConcurrentQueue<(ulong Sequence, long SentAt)>();
            var reader = Task.Run(async () =>
            {
                while (await call.ResponseStream.MoveNext(abort.Token))
                {
                    OnAck(call.ResponseStream.Current, expected);
                    window.Release();
                }
            });

            try
            {
                await WriteAsync(call, window, expected);
                await call.RequestStream.CompleteAsync();
            }
            catch
            {
                await abort.CancelAsync(); // the reader must not wait for acks that will never come
                throw;
            }

            await reader;
        }
        catch (Exception e)
        {
            Failure = e;
        }
    }

    private async Task WriteAsync(AsyncDuplexStreamingCall<EventBatch, BatchAck> call, SemaphoreSlim window, ConcurrentQueue<(ulong, long)> expected)
    {
        long sentEvents = 0;
        double credit = 0; // events owed below the pace line after a hold, capped at one second's worth
        ulong sequence = 0;
        while (!_stop.IsCancellationRequested)
        {
            double due = _clock.Elapsed.TotalSeconds * eventsPerSecond - credit;
            if (due - sentEvents > eventsPerSecond)
            {
                credit += due - sentEvents - eventsPerSecond;
                continue;
            }

            if (sentEvents + eventsPerBatch > due)
            {
                await Task.Delay(2);
                continue;
            }

            try
            {
                await window.WaitAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            sequence++;
            var ids = new Guid[eventsPerBatch];
            var batch = new EventBatch { ProducerId = producerId, Sequence = sequence };
            for (int i = 0; i < ids.Length; i++)
            {
                ids[i] = Guid.NewGuid();
                batch.Events.Add(TestBatches.Telemetry(ids[i].ToString(), i));
            }

            lock (_gate)
            {
                _sent.Add(sequence, ids);
            }

            expected.Enqueue((sequence, Stopwatch.GetTimestamp()));
            Volatile.Write(ref _writeStarted, Stopwatch.GetTimestamp());
            await call.RequestStream.WriteAsync(batch);
            Volatile.Write(ref _writeStarted, 0);
            sentEvents += eventsPerBatch;
        }
    }

    private void OnAck(BatchAck ack, ConcurrentQueue<(ulong Sequence, long SentAt)> expected)
    {
        if (!expected.TryDequeue(out var next))
        {
            _problems.Enqueue($"ack for sequence {ack.Sequence} with no batch outstanding");
            return;
        }

        if (ack.Sequence != next.Sequence)
        {
            _problems.Enqueue($"ack for sequence {ack.Sequence} where {next.Sequence} was next");
            return;
        }

        if (ack.Rejected != 0 || ack.Duplicates != 0 || ack.Accepted != (uint)eventsPerBatch)
        {
            _problems.Enqueue($"ack for sequence {ack.Sequence}: accepted {ack.Accepted}, duplicates {ack.Duplicates}, rejected {ack.Rejected} of {eventsPerBatch}");
        }

        var latency = Stopwatch.GetElapsedTime(next.SentAt);
        _latencies.Enqueue((_clock.Elapsed.TotalSeconds - latency.TotalSeconds, latency.TotalMilliseconds));
        lock (_gate)
        {
            _acked.Add(ack.Sequence);
        }

        Interlocked.Increment(ref _ackedBatches);
    }
}
