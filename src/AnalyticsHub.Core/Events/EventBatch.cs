using System.Buffers;

namespace AnalyticsHub.Core.Events;

/// <summary>
/// A decoded batch of events, columnar and reusable: the batch's wire bytes copied once into a
/// pooled arena, a row per event, and one shared array of map entries. Strings are slices of the
/// arena, so filling a batch allocates nothing once its arrays have grown to the working size.
/// </summary>
/// <remarks>Not thread-safe: one batch belongs to one call at a time; <see cref="Reset"/> before reuse.</remarks>
public sealed class EventBatch : IDisposable
{
    private byte[] _arena;
    private EventRow[] _rows;
    private KeyValueSlice[] _pairs;

    public EventBatch(int arenaCapacity = 256 * 1024, int rowCapacity = 1024, int pairCapacity = 4096)
    {
        _arena = ArrayPool<byte>.Shared.Rent(arenaCapacity);
        _rows = ArrayPool<EventRow>.Shared.Rent(rowCapacity);
        _pairs = ArrayPool<KeyValueSlice>.Shared.Rent(pairCapacity);
    }

    /// <summary>The batch's wire bytes.</summary>
    public ReadOnlySpan<byte> Arena => _arena.AsSpan(0, ArenaLength);

    public int ArenaLength { get; private set; }

    public int Count { get; private set; }

    public int PairCount { get; private set; }

    public ArenaSlice ProducerId { get; set; }

    public ulong Sequence { get; set; }

    public Span<EventRow> Rows => _rows.AsSpan(0, Count);

    public ReadOnlySpan<KeyValueSlice> Pairs => _pairs.AsSpan(0, PairCount);

    public ref EventRow this[int index] => ref _rows.AsSpan(0, Count)[index];

    /// <summary>The bytes a slice names.</summary>
    public ReadOnlySpan<byte> Bytes(ArenaSlice slice) => _arena.AsSpan(slice.Offset, slice.Length);

    /// <summary>The entries of a map range (tags or payload map).</summary>
    public ReadOnlySpan<KeyValueSlice> PairsOf(int start, int count) => _pairs.AsSpan(start, count);

    /// <summary>Clears the batch and copies a new message's bytes into the arena (growing it if needed).</summary>
    public void Load(in ReadOnlySequence<byte> message)
    {
        Reset();
        var length = checked((int)message.Length);
        EnsureArena(length);
        message.CopyTo(_arena);
        ArenaLength = length;
    }

    /// <summary>Clears the batch and copies a new message's bytes into the arena.</summary>
    public void Load(ReadOnlySpan<byte> message)
    {
        Reset();
        EnsureArena(message.Length);
        message.CopyTo(_arena);
        ArenaLength = message.Length;
    }

    /// <summary>Drops the decoded rows and map entries but keeps the loaded bytes, to decode them again.</summary>
    public void ClearRows()
    {
        Count = 0;
        PairCount = 0;
        ProducerId = default;
        Sequence = 0;
    }

    public void Reset()
    {
        Count = 0;
        PairCount = 0;
        ArenaLength = 0;
        ProducerId = default;
        Sequence = 0;
    }

    /// <summary>Appends a cleared row and returns it for filling.</summary>
    public ref EventRow AddRow()
    {
        if (Count == _rows.Length)
        {
            Grow(ref _rows, Count + 1);
        }

        ref var row = ref _rows[Count++];
        row = default;
        return ref row;
    }

    /// <summary>Appends a map entry; returns its index.</summary>
    public int AddPair(ArenaSlice key, ArenaSlice value)
    {
        if (PairCount == _pairs.Length)
        {
            Grow(ref _pairs, PairCount + 1);
        }

        _pairs[PairCount] = new KeyValueSlice(key, value);
        return PairCount++;
    }

    /// <summary>Drops the map entries added after the first <paramref name="pairCount"/> (e.g. those of an event that failed to decode).</summary>
    public void TruncatePairs(int pairCount) => PairCount = Math.Min(PairCount, pairCount);

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_arena);
        ArrayPool<EventRow>.Shared.Return(_rows);
        ArrayPool<KeyValueSlice>.Shared.Return(_pairs);
        _arena = [];
        _rows = [];
        _pairs = [];
        Reset();
    }

    private void EnsureArena(int length)
    {
        if (_arena.Length < length)
        {
            ArrayPool<byte>.Shared.Return(_arena);
            _arena = ArrayPool<byte>.Shared.Rent(length);
        }
    }

    private static void Grow<T>(ref T[] array, int minimum)
    {
        var next = ArrayPool<T>.Shared.Rent(Math.Max(minimum, array.Length * 2));
        array.AsSpan().CopyTo(next);
        ArrayPool<T>.Shared.Return(array);
        array = next;
    }
}
