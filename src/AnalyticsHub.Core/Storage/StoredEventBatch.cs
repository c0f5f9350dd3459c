using System.Buffers;
using AnalyticsHub.Core.Events;

namespace AnalyticsHub.Core.Storage;

/// <summary>
/// A batch of events on its way from the write-ahead log to a store: rows plus one UTF-8 arena
/// for their text, pooled and reused by the drainer. It covers the WAL records in
/// [<see cref="FirstAddress"/>, <see cref="NextAddress"/>); rows are in log order.
/// </summary>
/// <remarks>Not thread-safe; a store reads it during one write call and keeps no reference to it.</remarks>
public sealed class StoredEventBatch : IDisposable
{
    private byte[] _arena;
    private StoredEvent[] _rows;
    private int _arenaLength;
    private int _pendingText;
    private readonly ArenaTextWriter _textWriter;

    public StoredEventBatch(int rowCapacity = 16 * 1024, int arenaCapacity = 4 * 1024 * 1024)
    {
        _rows = ArrayPool<StoredEvent>.Shared.Rent(rowCapacity);
        _arena = ArrayPool<byte>.Shared.Rent(arenaCapacity);
        _textWriter = new ArenaTextWriter(this);
    }

    /// <summary>
    /// Writes text (e.g. with a Utf8JsonWriter) after the arena's last text; <see cref="EndText"/>
    /// then names everything written since the previous one.
    /// </summary>
    public IBufferWriter<byte> TextWriter => _textWriter;

    public int Count { get; private set; }

    /// <summary>Address of the first WAL record the batch covers.</summary>
    public long FirstAddress { get; set; }

    /// <summary>Address just past the last WAL record the batch covers: once stored, the drainer's checkpoint.</summary>
    public long NextAddress { get; set; }

    public Span<StoredEvent> Rows => _rows.AsSpan(0, Count);

    public ref StoredEvent this[int index] => ref _rows.AsSpan(0, Count)[index];

    /// <summary>Bytes of the arena in use (the text of all rows).</summary>
    public int ArenaLength => _arenaLength;

    /// <summary>The UTF-8 bytes a text column names.</summary>
    public ReadOnlySpan<byte> Text(ArenaSlice slice) => _arena.AsSpan(slice.Offset, slice.Length);

    /// <summary>Appends a cleared row and returns it for filling.</summary>
    public ref StoredEvent AddRow()
    {
        if (Count == _rows.Length)
        {
            Grow(ref _rows, Count + 1, Count);
        }

        ref var row = ref _rows[Count++];
        row = default;
        return ref row;
    }

    /// <summary>Keeps the first <paramref name="count"/> rows (their text stays in the arena until <see cref="Reset"/>).</summary>
    public void TruncateRows(int count) => Count = Math.Clamp(count, 0, Count);

    /// <summary>Copies text into the arena and names it.</summary>
    public ArenaSlice AddText(ReadOnlySpan<byte> utf8)
    {
        utf8.CopyTo(PendingMemory(utf8.Length).Span);
        _pendingText += utf8.Length;
        return EndText();
    }

    /// <summary>Names the bytes written through <see cref="TextWriter"/> since the last call.</summary>
    public ArenaSlice EndText()
    {
        var slice = new ArenaSlice(_arenaLength, _pendingText);
        _arenaLength += _pendingText;
        _pendingText = 0;
        return slice;
    }

    public void Reset()
    {
        Count = 0;
        _arenaLength = 0;
        _pendingText = 0;
        FirstAddress = 0;
        NextAddress = 0;
    }

    public void Dispose()
    {
        ArrayPool<StoredEvent>.Shared.Return(_rows);
        ArrayPool<byte>.Shared.Return(_arena);
        _rows = [];
        _arena = [];
        Reset();
    }

    private Memory<byte> PendingMemory(int sizeHint)
    {
        int used = _arenaLength + _pendingText;
        if (_arena.Length - used < Math.Max(sizeHint, 1))
        {
            Grow(ref _arena, used + Math.Max(sizeHint, 256), used);
        }

        return _arena.AsMemory(used);
    }

    private sealed class ArenaTextWriter(StoredEventBatch batch) : IBufferWriter<byte>
    {
        public void Advance(int count) => batch._pendingText += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => batch.PendingMemory(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => batch.PendingMemory(sizeHint).Span;
    }

    private static void Grow<T>(ref T[] array, int minimum, int used)
    {
        var next = ArrayPool<T>.Shared.Rent(Math.Max(minimum, array.Length * 2));
        array.AsSpan(0, used).CopyTo(next);
        ArrayPool<T>.Shared.Return(array);
        array = next;
    }
}
