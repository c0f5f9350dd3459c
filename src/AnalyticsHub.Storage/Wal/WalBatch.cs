namespace AnalyticsHub.Storage.Wal;

/// <summary>
/// Records returned by one <see cref="WalReader.ReadBatchAsync"/>, in log order. The batch and
/// its record memory belong to the reader and are reused by its next read: copy what must
/// outlive it.
/// </summary>
public sealed class WalBatch
{
    private byte[] _arena = new byte[64 * 1024];
    private int _arenaUsed;
    private Entry[] _entries = new Entry[256];

    internal WalBatch()
    {
    }

    /// <summary>Number of records.</summary>
    public int Count { get; private set; }

    /// <summary>Exclusive end of the last record: pass it to <see cref="WalReader.CompleteUntil"/>
    /// once the whole batch is processed. Equals the start address when the batch is empty.</summary>
    public long NextAddress { get; private set; }

    /// <summary>The record at <paramref name="index"/>.</summary>
    public WalRecord this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            ref readonly Entry e = ref _entries[index];
            return new WalRecord(e.Address, e.NextAddress, new ReadOnlyMemory<byte>(_arena, e.Offset, e.Length));
        }
    }

    internal void Reset(long startAddress)
    {
        Count = 0;
        _arenaUsed = 0;
        NextAddress = startAddress;
    }

    internal void Add(ReadOnlySpan<byte> data, long address, long nextAddress)
    {
        if (_arena.Length - _arenaUsed < data.Length)
        {
            // Earlier records of this batch keep pointing at the old array only until the
            // copy below; records handed out come from the final array.
            Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _arenaUsed + data.Length));
        }
        if (Count == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }
        data.CopyTo(_arena.AsSpan(_arenaUsed));
        _entries[Count++] = new Entry(address, nextAddress, _arenaUsed, data.Length);
        _arenaUsed += data.Length;
        NextAddress = nextAddress;
    }

    private readonly record struct Entry(long Address, long NextAddress, int Offset, int Length);
}
