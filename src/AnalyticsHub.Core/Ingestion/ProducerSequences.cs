namespace AnalyticsHub.Core.Ingestion;

/// <summary>
/// Idempotent producers: a batch carries (<c>producer_id</c>, <c>sequence</c>); a retry of a batch
/// already durable is answered with the first attempt's ack and not stored again, and a retry
/// arriving while the first attempt is still being stored waits for that attempt's ack.
/// </summary>
/// <remarks>
/// <para>
/// Protocol for the caller: <see cref="Claim"/>; on <see cref="SequenceClaimKind.New"/> store the
/// batch, then <see cref="Complete"/> once durable or <see cref="Abandon"/> if it will not be.
/// Sequences need not be contiguous (a producer may pipeline on several streams), but see
/// <see cref="ProducerSequenceOptions.AcksPerProducer"/> for how far a stream may lag.
/// </para>
/// <para>
/// Memory is bounded by <see cref="ProducerSequenceOptions"/>: at most <c>AcksPerProducer</c> acks
/// per producer and <c>MaxProducers</c> producers; a new producer beyond that evicts the least
/// recently used one with nothing in flight (its retries are then judged afresh). Producers
/// with batches in flight are never evicted, so the table may briefly exceed the bound by the
/// number of producers with work in flight, which the ingest pipeline's own limits bound.
/// </para>
/// <para>
/// Thread-safe behind one lock: calls are per batch, not per event, and each is a dictionary
/// lookup plus a short scan. Lookups use the id's bytes directly (no allocation); a new producer
/// costs one copy of its id.
/// </para>
/// </remarks>
public sealed class ProducerSequences
{
    private readonly Lock _gate = new();
    private readonly Dictionary<byte[], ProducerState> _producers;
    private readonly Dictionary<byte[], ProducerState>.AlternateLookup<ReadOnlySpan<byte>> _byId;
    private readonly int _maxProducers;
    private readonly int _acksPerProducer;

    // Recency list: _newest ← Older … → _oldest; every call touching a producer moves it to the front.
    private ProducerState? _newest;
    private ProducerState? _oldest;

    public ProducerSequences(ProducerSequenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxProducers, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.AcksPerProducer, 1, nameof(options));
        _maxProducers = options.MaxProducers;
        _acksPerProducer = options.AcksPerProducer;
        _producers = new Dictionary<byte[], ProducerState>(ProducerKeyComparer.Instance);
        _byId = _producers.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    /// <summary>Producers tracked now.</summary>
    public int ProducerCount
    {
        get
        {
            lock (_gate)
            {
                return _producers.Count;
            }
        }
    }

    /// <summary>
    /// Looks (<paramref name="producerId"/>, <paramref name="sequence"/>) up and, when new, marks it
    /// in flight. An empty producer id or sequence 0 means "not idempotent": always
    /// <see cref="SequenceClaimKind.New"/>, nothing tracked, and no Complete/Abandon is needed.
    /// </summary>
    public SequenceClaim Claim(ReadOnlySpan<byte> producerId, ulong sequence)
    {
        if (IsUntracked(producerId, sequence))
        {
            return SequenceClaim.New;
        }

        lock (_gate)
        {
            return GetOrAdd(producerId).Claim(sequence);
        }
    }

    /// <summary>
    /// The attempt of a <see cref="SequenceClaimKind.New"/> claim is durable: remembers its encoded
    /// <paramref name="ack"/> (kept by reference; the caller must not reuse the buffer) and hands
    /// it to retries waiting on it.
    /// </summary>
    public void Complete(ReadOnlySpan<byte> producerId, ulong sequence, ReadOnlyMemory<byte> ack)
    {
        if (IsUntracked(producerId, sequence))
        {
            return;
        }

        TaskCompletionSource<ReadOnlyMemory<byte>>? waiter;
        lock (_gate)
        {
            var producer = GetOrAdd(producerId);
            waiter = producer.EndInFlight(sequence);
            producer.Remember(sequence, ack, _acksPerProducer);
        }

        waiter?.TrySetResult(ack);
    }

    /// <summary>
    /// The attempt of a <see cref="SequenceClaimKind.New"/> claim will not become durable: the
    /// sequence is no longer in flight (its next claim is New), and retries waiting on it fault
    /// with <paramref name="error"/>, or with <see cref="SequenceAbandonedException"/> when none is given.
    /// </summary>
    public void Abandon(ReadOnlySpan<byte> producerId, ulong sequence, Exception? error = null)
    {
        if (IsUntracked(producerId, sequence))
        {
            return;
        }

        TaskCompletionSource<ReadOnlyMemory<byte>>? waiter = null;
        lock (_gate)
        {
            if (_byId.TryGetValue(producerId, out var producer))
            {
                waiter = producer.EndInFlight(sequence);
            }
        }

        waiter?.TrySetException(error ?? new SequenceAbandonedException(sequence));
    }

    /// <summary>Remembers the ack of a batch found durable in the WAL at startup (as if it had just completed).</summary>
    public void Restore(ReadOnlySpan<byte> producerId, ulong sequence, ReadOnlyMemory<byte> ack) => Complete(producerId, sequence, ack);

    private static bool IsUntracked(ReadOnlySpan<byte> producerId, ulong sequence) => producerId.IsEmpty || sequence == 0;

    // Under the lock: the producer, now the most recently used; a new one may evict the least recently used.
    private ProducerState GetOrAdd(ReadOnlySpan<byte> producerId)
    {
        if (_byId.TryGetValue(producerId, out var producer))
        {
            if (producer != _newest)
            {
                Unlink(producer);
                LinkNewest(producer);
            }

            return producer;
        }

        if (_producers.Count >= _maxProducers)
        {
            EvictOldestIdle();
        }

        producer = new ProducerState(producerId.ToArray());
        _producers.Add(producer.Key, producer);
        LinkNewest(producer);
        return producer;
    }

    private void EvictOldestIdle()
    {
        for (var candidate = _oldest; candidate is not null; candidate = candidate.Newer)
        {
            if (!candidate.HasInFlight)
            {
                Unlink(candidate);
                _producers.Remove(candidate.Key);
                return;
            }
        }
    }

    private void LinkNewest(ProducerState producer)
    {
        producer.Newer = null;
        producer.Older = _newest;
        if (_newest is not null)
        {
            _newest.Newer = producer;
        }

        _newest = producer;
        _oldest ??= producer;
    }

    private void Unlink(ProducerState producer)
    {
        if (producer.Newer is null)
        {
            _newest = producer.Older;
        }
        else
        {
            producer.Newer.Older = producer.Older;
        }

        if (producer.Older is null)
        {
            _oldest = producer.Newer;
        }
        else
        {
            producer.Older.Newer = producer.Newer;
        }

        producer.Newer = null;
        producer.Older = null;
    }
}
