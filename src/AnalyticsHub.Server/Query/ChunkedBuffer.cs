using System.Buffers;
using System.IO.Pipelines;

namespace AnalyticsHub.Server.Query;

/// <summary>
/// Bytes written once and then read by many: an <see cref="IBufferWriter{T}"/> over 64 KiB chunks, so a
/// multi-megabyte rendered answer never needs one large (LOH) array or a copy to grow. After
/// <see cref="Complete"/> it is immutable and safe to send to any number of responses at once.
/// </summary>
public sealed class ChunkedBuffer : IBufferWriter<byte>
{
    private const int ChunkSize = 64 * 1024;

    private readonly List<(byte[] Array, int Length)> _full = [];
    private byte[] _current = [];
    private int _used;
    private bool _completed;

    /// <summary>Bytes written so far.</summary>
    public long Length { get; private set; }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _current.Length - _used);
        _used += count;
        Length += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _current.AsMemory(_used);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _current.AsSpan(_used);
    }

    /// <summary>No more writes: the buffer may now be shared.</summary>
    public ChunkedBuffer Complete()
    {
        if (!_completed)
        {
            if (_used > 0)
            {
                _full.Add((_current, _used));
            }
            _current = [];
            _used = 0;
            _completed = true;
        }
        return this;
    }

    /// <summary>Copies the bytes into <paramref name="output"/>, flushing after each chunk so a slow reader holds back only this response.</summary>
    public async ValueTask WriteToAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        if (!_completed)
        {
            throw new InvalidOperationException("Complete the buffer before sending it.");
        }
        foreach (var (array, length) in _full)
        {
            var flush = await output.WriteAsync(array.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            if (flush.IsCanceled || flush.IsCompleted)
            {
                return; // the client went away
            }
        }
    }

    private void Reserve(int sizeHint)
    {
        if (_completed)
        {
            throw new InvalidOperationException("The buffer is complete: it can no longer be written.");
        }
        int needed = Math.Max(sizeHint, 1);
        if (_current.Length - _used >= needed)
        {
            return;
        }
        if (_used > 0)
        {
            _full.Add((_current, _used));
        }
        // Chunks stay below the large-object threshold (85,000 bytes) unless one write needs more.
        _current = new byte[Math.Max(ChunkSize, needed)];
        _used = 0;
    }
}
