namespace AnalyticsHub.Core.Ingestion;

/// <summary>
/// One producer's sequences: those in flight (with the waiters of their retries) and the acks of
/// the highest completed ones, sorted by sequence. Not thread-safe: <see cref="ProducerSequences"/>
/// holds its lock around every call. Arrays grow by doubling up to their limits, so a producer
/// that sends few batches costs little.
/// </summary>
internal sealed class ProducerState(byte[] key)
{
    private AckEntry[] _acks = [];
    private int _ackCount;
    private InFlightEntry[] _inFlight = [];
    private int _inFlightCount;

    public byte[] Key { get; } = key;

    /// <summary>Neighbours in the table's recency list (toward most / least recently used).</summary>
    public ProducerState? Newer { get; set; }

    public ProducerState? Older { get; set; }

    public ulong HighestCompleted { get; private set; }

    private ulong _highestDropped;
    private bool _anyDropped;

    private void NoteDropped(ulong sequence)
    {
        _highestDropped = _anyDropped ? Math.Max(_highestDropped, sequence) : sequence;
        _anyDropped = true;
    }

    public bool HasInFlight => _inFlightCount != 0;

    public SequenceClaim Claim(ulong sequence)
    {
        var inFlight = _inFlight.AsSpan(0, _inFlightCount);
        for (int i = 0; i < inFlight.Length; i++)
        {
            ref var entry = ref inFlight[i];
            if (entry.Sequence == sequence)
            {
                // Asynchronous continuations: waiters never run inside whoever completes the attempt.
                entry.Waiter ??= new TaskCompletionSource<ReadOnlyMemory<byte>>(TaskCreationOptions.RunContinuationsAsynchronously);
                return SequenceClaim.Pending(entry.Waiter.Task);
            }
        }

        int found = FindAck(sequence);
        if (found >= 0)
        {
            return SequenceClaim.Completed(_acks[found].Ack);
        }

        // Only below an ack that was dropped is "not remembered" ambiguous; above it, a sequence
        // not remembered was never completed (e.g. one pipelined behind a higher one) and is new.
        if (_anyDropped && sequence <= _highestDropped)
        {
            return SequenceClaim.Stale;
        }

        if (_inFlightCount == _inFlight.Length)
        {
            Array.Resize(ref _inFlight, Math.Max(2, _inFlight.Length * 2));
        }

        _inFlight[_inFlightCount++] = new InFlightEntry { Sequence = sequence };
        return SequenceClaim.New;
    }

    /// <summary>Ends the attempt in flight for <paramref name="sequence"/>, if any; returns its retries' waiter.</summary>
    public TaskCompletionSource<ReadOnlyMemory<byte>>? EndInFlight(ulong sequence)
    {
        for (int i = 0; i < _inFlightCount; i++)
        {
            if (_inFlight[i].Sequence == sequence)
            {
                var waiter = _inFlight[i].Waiter;
                _inFlight[i] = _inFlight[--_inFlightCount];
                _inFlight[_inFlightCount] = default;
                return waiter;
            }
        }

        return null;
    }

    /// <summary>
    /// Keeps <paramref name="ack"/> as the answer for <paramref name="sequence"/>. The first ack of a
    /// sequence wins (a retry gets the first attempt's result); past <paramref name="limit"/> the
    /// lowest sequence is dropped, and one lower than all kept is not kept (it reads as stale).
    /// </summary>
    public void Remember(ulong sequence, ReadOnlyMemory<byte> ack, int limit)
    {
        HighestCompleted = Math.Max(HighestCompleted, sequence);
        int at = FindAck(sequence);
        if (at >= 0)
        {
            return;
        }

        at = ~at;
        if (_ackCount == limit)
        {
            if (at == 0)
            {
                NoteDropped(sequence);
                return;
            }

            NoteDropped(_acks[0].Sequence);

            // Drop the lowest: shift the ones below the insertion point down by one.
            Array.Copy(_acks, 1, _acks, 0, at - 1);
            _acks[at - 1] = new AckEntry(sequence, ack);
            return;
        }

        if (_ackCount == _acks.Length)
        {
            Array.Resize(ref _acks, Math.Min(limit, Math.Max(4, _acks.Length * 2)));
        }

        Array.Copy(_acks, at, _acks, at + 1, _ackCount - at);
        _acks[at] = new AckEntry(sequence, ack);
        _ackCount++;
    }

    // Binary search over the sorted acks: the index, or the complement of the insertion point.
    private int FindAck(ulong sequence)
    {
        int lo = 0, hi = _ackCount - 1;
        while (lo <= hi)
        {
            int mid = (int)((uint)(lo + hi) >> 1);
            ulong at = _acks[mid].Sequence;
            if (at == sequence)
            {
                return mid;
            }

            if (at < sequence)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }

    private readonly record struct AckEntry(ulong Sequence, ReadOnlyMemory<byte> Ack);

    private struct InFlightEntry
    {
        public ulong Sequence;
        public TaskCompletionSource<ReadOnlyMemory<byte>>? Waiter;
    }
}
