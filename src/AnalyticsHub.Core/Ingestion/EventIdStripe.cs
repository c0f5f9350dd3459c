namespace AnalyticsHub.Core.Ingestion;

/// <summary>
/// One lock stripe of <see cref="EventIdWindow"/>: its ids in one <see cref="EventIdTable"/>,
/// each stamped with the generation it was added in. The newest <c>G</c> generations are live;
/// the current one takes new ids and each covers <c>slice = Window / (G − 1)</c> of time.
/// </summary>
/// <remarks>
/// <para>
/// Rotation is lazy: a call that finds the current generation a slice old or more starts a new
/// one per elapsed slice (up to G), and the ids of generations that fall out of the newest G are
/// swept out of the table. Starts advance in whole slices, so an id is dropped no sooner than
/// <c>(G − 1) × slice = Window</c> after its generation stopped taking ids, and no later than
/// <c>G × slice</c> after that generation started.
/// </para>
/// <para>
/// Each generation holds at most <c>budget</c> ids (this stripe's share of MaxEntries / G). When
/// the current one is full a new one starts at once; if the generation that this retires still
/// held ids, they are forgotten early, which <see cref="EarlyRotations"/> counts. A sweep reads
/// the whole table but happens at most once per <c>budget</c> additions: amortised, G ÷ load
/// factor slots per added id.
/// </para>
/// </remarks>
internal sealed class EventIdStripe
{
    private const int InitialCapacity = 256;

    // Each stripe allocates its table right after its lock, so the locks (written on every
    // call) of different stripes sit kilobytes apart and never share a cache line.
    private readonly Lock _gate = new();
    private readonly EventIdTable _table;
    private readonly int[] _countByStamp = new int[256];
    private readonly int _generations;
    private readonly int _budget;
    private readonly long _sliceNanos;
    private byte _stamp;
    private long _currentStart;
    private bool _started;
    private int _count;
    private long _earlyRotations;

    public EventIdStripe(EventIdHasher hasher, int generations, int budgetPerGeneration, long sliceNanos)
    {
        _generations = generations;
        _budget = budgetPerGeneration;
        _sliceNanos = sliceNanos;
        _table = new EventIdTable(hasher, InitialCapacity, generations * budgetPerGeneration);
    }

    /// <summary>Ids held; written under the lock, read without it (an int read is atomic; metrics only).</summary>
    public int Count => Volatile.Read(ref _count);

    public long EarlyRotations => Volatile.Read(ref _earlyRotations);

    public bool TryAdd(in EventIdKey key, uint hash, long nowNanos)
    {
        lock (_gate)
        {
            Advance(nowNanos);
            int found = _table.Find(key, hash);
            if (found >= 0)
            {
                return false;
            }

            int emptySlot = ~found;
            if (_countByStamp[_stamp] >= _budget)
            {
                if (Retire(1) != 0)
                {
                    _earlyRotations++;
                }

                _currentStart = nowNanos;
                emptySlot = -1; // a sweep moves entries: that slot may be taken now
            }

            _table.Add(key.WithStamp(_stamp), hash, emptySlot);
            _countByStamp[_stamp]++;
            _count++;
            return true;
        }
    }

    /// <summary>A hint to load the id's home slot; takes no lock (see <see cref="EventIdTable.Prefetch"/>).</summary>
    public void Prefetch(uint hash) => _table.Prefetch(hash);

    public void Remove(in EventIdKey key, uint hash)
    {
        lock (_gate)
        {
            int stamp = _count == 0 ? -1 : _table.Remove(key, hash);
            if (stamp >= 0)
            {
                _countByStamp[stamp]--;
                _count--;
            }
        }
    }

    public void Expire(long nowNanos)
    {
        lock (_gate)
        {
            Advance(nowNanos);
        }
    }

    private void Advance(long nowNanos)
    {
        if (!_started)
        {
            _started = true;
            _currentStart = nowNanos;
            return;
        }

        // A reading older than the current start (a racing caller) gives a negative elapsed: no rotation.
        long elapsed = nowNanos - _currentStart;
        if (elapsed < _sliceNanos)
        {
            return;
        }

        long slices = elapsed / _sliceNanos;
        Retire((int)Math.Min(slices, _generations));
        _currentStart += slices * _sliceNanos;
    }

    // Starts `steps` (≤ G) new generations; sweeps out the ones that leave the newest G. Stamps
    // are bytes: with G ≤ 16 the live and just-retired ones are never more than 31 apart.
    private int Retire(int steps)
    {
        int dropped = 0;
        for (int i = 0; i < steps; i++)
        {
            _stamp++;
            byte retired = (byte)(_stamp - _generations);
            dropped += _countByStamp[retired];
            _countByStamp[retired] = 0;
        }

        if (dropped == _count)
        {
            _table.Clear();
        }
        else if (dropped != 0)
        {
            _table.RemoveStale(_stamp, _generations);
        }

        _count -= dropped;
        return dropped;
    }
}
