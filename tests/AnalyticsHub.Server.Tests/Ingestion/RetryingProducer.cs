using System.Collections.Concurrent;
using AnalyticsHub.Client;
using AnalyticsHub.Contracts.V1;
using AnalyticsHub.Protocol.Grpc;

namespace AnalyticsHub.Server.Tests.Ingestion;

/// <summary>
/// An idempotent producer as a careful client is written: numbered batches of fresh events,
/// pipelined on one StreamEvents call (at most <c>maxInFlight</c> unacknowledged); when the call
/// fails it reconnects and re-sends every batch not yet acknowledged — same producer_id, same
/// sequence, same events — before any new one. It records what was acknowledged, and checks
/// each ack (in order, for the right sequence, every event accepted or a duplicate).
/// </summary>
internal sealed class RetryingProducer(string producerId, int eventsPerBatch, int maxInFlight)
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<ulong, EventBatch> _unacked = [];
    private readonly Dictionary<ulong, EventBatch> _sent = [];
    private readonly HashSet<ulong> _acked = [];
    private readonly ConcurrentQueue<string> _problems = new();
    private ulong _nextSequence = 1;
    private long _sessionAcks;

    /// <summary>Acks received by the running session.</summary>
    public long SessionAcks => Interlocked.Read(ref _sessionAcks);

    /// <summary>Batches sent (or about to be) that are not acknowledged yet.</summary>
    public int UnackedBatches
    {
        get
        {
            lock (_gate)
            {
                return _unacked.Count;
            }
        }
    }

    public int AckedBatches
    {
        get
        {
            lock (_gate)
            {
                return _acked.Count;
            }
        }
    }

    /// <summary>Re-sent batches over all sessions.</summary>
    public int RetriedBatches { get; private set; }

    /// <summary>Wrong acks seen (out of order, wrong counts): must stay empty.</summary>
    public IReadOnlyCollection<string> Problems => _problems;

    public List<string> AckedEventIds()
    {
        lock (_gate)
        {
            return _acked.SelectMany(s => _sent[s].Events.Select(e => e.EventId)).ToList();
        }
    }

    public List<string> SentEventIds()
    {
        lock (_gate)
        {
            return _sent.Values.SelectMany(b => b.Events.Select(e => e.EventId)).ToList();
        }
    }

    /// <summary>
    /// One call: re-sends the unacknowledged batches, then up to <paramref name="newBatches"/> new
    /// ones, then half-closes and reads the remaining acks. Ends when the call ends, either way.
    /// </summary>
    public async Task<SessionResult> RunSessionAsync(GrpcChannel channel, int newBatches, TimeSpan timeout)
    {
        Interlocked.Exchange(ref _sessionAcks, 0);
        using var cts = new CancellationTokenSource(timeout);
        using var call = channel.StartDuplexStreamingCall(TestBatches.StreamEvents, new CallOptions { CancellationToken = cts.Token });
        using var window = new SemaphoreSlim(maxInFlight);
        var expected = new ConcurrentQueue<ulong>();

        var reader = Task.Run(async () =>
        {
            try
            {
                while (await call.ResponseStream.MoveNext(cts.Token))
                {
                    OnAck(call.ResponseStream.Current, expected);
                    window.Release();
                }
            }
            finally
            {
                // The writer must not wait for window space that will never come.
                await cts.CancelAsync();
            }
        });

        var writer = Task.Run(async () =>
        {
            ulong[] retries;
            lock (_gate)
            {
                retries = [.. _unacked.Keys];
            }

            foreach (var sequence in retries)
            {
                RetriedBatches++;
                await SendAsync(call, window, expected, sequence, cts.Token);
            }

            for (int i = 0; i < newBatches; i++)
            {
                ulong sequence;
                lock (_gate)
                {
                    sequence = _nextSequence++;
                    var batch = TestBatches.Batch(producerId, sequence, eventsPerBatch);
                    _sent.Add(sequence, batch);
                    _unacked.Add(sequence, batch);
                }

                await SendAsync(call, window, expected, sequence, cts.Token);
            }

            await call.RequestStream.CompleteAsync();
        });

        var failures = new List<string>();
        RpcException? status = null;
        foreach (var task in new[] { reader, writer })
        {
            try
            {
                await task;
            }
            catch (Exception e) when (e is RpcException or IOException or HttpRequestException or InvalidOperationException or OperationCanceledException)
            {
                failures.Add($"{e.GetType().Name}: {e.Message}");
                status ??= e as RpcException;
            }
        }

        // Completed: the server ended the call with OK after the last ack.
        return new SessionResult(failures.Count == 0, failures, status);
    }

    private async Task SendAsync(AsyncDuplexStreamingCall<EventBatch, BatchAck> call, SemaphoreSlim window, ConcurrentQueue<ulong> expected, ulong sequence, CancellationToken cancellationToken)
    {
        await window.WaitAsync(cancellationToken);
        EventBatch batch;
        lock (_gate)
        {
            batch = _sent[sequence];
        }

        expected.Enqueue(sequence);
        await call.RequestStream.WriteAsync(batch, cancellationToken);
    }

    private void OnAck(BatchAck ack, ConcurrentQueue<ulong> expected)
    {
        if (!expected.TryDequeue(out var sequence))
        {
            _problems.Enqueue($"ack for sequence {ack.Sequence} with no batch outstanding");
            return;
        }

        if (ack.Sequence != sequence)
        {
            _problems.Enqueue($"ack for sequence {ack.Sequence} where {sequence} was next");
            return;
        }

        // A first attempt accepts every event; a retry answered from the idempotency table repeats
        // that ack; a retry judged stale counts them as duplicates. Never a rejection.
        if (ack.Rejected != 0 || ack.Accepted + ack.Duplicates != (uint)eventsPerBatch)
        {
            _problems.Enqueue($"ack for sequence {sequence}: accepted {ack.Accepted}, duplicates {ack.Duplicates}, rejected {ack.Rejected} of {eventsPerBatch}");
        }

        lock (_gate)
        {
            _acked.Add(sequence);
            _unacked.Remove(sequence);
        }

        Interlocked.Increment(ref _sessionAcks);
    }

    /// <param name="Error">How the call ended when it failed with a status (the reader's, else the writer's).</param>
    public sealed record SessionResult(bool Completed, IReadOnlyList<string> Failures, RpcException? Error)
    {
        public override string ToString() => Completed ? "completed" : "failed: " + string.Join(" | ", Failures);
    }
}
