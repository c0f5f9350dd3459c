using System.Buffers.Binary;
using System.Text;

namespace AnalyticsHub.Storage.Stores.ClickHouse.Internal;

/// <summary>
/// Reads a <c>FORMAT RowBinary</c> answer from a stream, value by value in the order the query
/// selected them: integers and floats little-endian, strings as a LEB128 length and UTF-8 bytes.
/// Buffers 64 KiB at a time, so a long answer is read in bounded memory.
/// </summary>
internal sealed class RowBinaryReader
{
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public RowBinaryReader(Stream stream)
    {
        _stream = stream;
    }

    /// <summary>True when another row follows (checked before reading a row's first value).</summary>
    public async ValueTask<bool> HasRowAsync(CancellationToken cancellationToken) =>
        _end > _start || await FillAsync(1, cancellationToken).ConfigureAwait(false);

    public async ValueTask<byte> UInt8Async(CancellationToken cancellationToken)
    {
        await NeedAsync(1, cancellationToken).ConfigureAwait(false);
        return _buffer[_start++];
    }

    public async ValueTask<long> Int64Async(CancellationToken cancellationToken)
    {
        await NeedAsync(8, cancellationToken).ConfigureAwait(false);
        long value = BinaryPrimitives.ReadInt64LittleEndian(_buffer.AsSpan(_start));
        _start += 8;
        return value;
    }

    public async ValueTask<ulong> UInt64Async(CancellationToken cancellationToken) =>
        unchecked((ulong)await Int64Async(cancellationToken).ConfigureAwait(false));

    public async ValueTask<double> Float64Async(CancellationToken cancellationToken) =>
        BitConverter.Int64BitsToDouble(await Int64Async(cancellationToken).ConfigureAwait(false));

    public async ValueTask<string> StringAsync(CancellationToken cancellationToken)
    {
        int length = await LengthAsync(cancellationToken).ConfigureAwait(false);
        if (length == 0)
        {
            return "";
        }

        if (length <= _buffer.Length)
        {
            await NeedAsync(length, cancellationToken).ConfigureAwait(false);
            string text = Encoding.UTF8.GetString(_buffer, _start, length);
            _start += length;
            return text;
        }

        return Encoding.UTF8.GetString(await LargeAsync(length, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>A <c>String</c> column holding arbitrary bytes (a serialized sketch), as they are.</summary>
    public async ValueTask<byte[]> BytesAsync(CancellationToken cancellationToken)
    {
        int length = await LengthAsync(cancellationToken).ConfigureAwait(false);
        if (length == 0)
        {
            return [];
        }

        if (length <= _buffer.Length)
        {
            await NeedAsync(length, cancellationToken).ConfigureAwait(false);
            byte[] bytes = _buffer.AsSpan(_start, length).ToArray();
            _start += length;
            return bytes;
        }

        return await LargeAsync(length, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<int> LengthAsync(CancellationToken cancellationToken)
    {
        ulong length = 0;
        for (int shift = 0; ; shift += 7)
        {
            if (shift > 63)
            {
                throw new IOException("a RowBinary string length is malformed");
            }

            byte b = await UInt8Async(cancellationToken).ConfigureAwait(false);
            length |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                break;
            }
        }

        return length <= int.MaxValue ? (int)length : throw new IOException($"a RowBinary string of {length} bytes");
    }

    // A value larger than the buffer: what is buffered, then the rest straight from the stream.
    private async ValueTask<byte[]> LargeAsync(int length, CancellationToken cancellationToken)
    {
        var large = new byte[length];
        int copied = Math.Min(_end - _start, length);
        Buffer.BlockCopy(_buffer, _start, large, 0, copied);
        _start += copied;
        if (_start == _end)
        {
            _start = _end = 0;
        }
        await _stream.ReadExactlyAsync(large.AsMemory(copied), cancellationToken).ConfigureAwait(false);
        return large;
    }

    private async ValueTask NeedAsync(int count, CancellationToken cancellationToken)
    {
        if (_end - _start < count && !await FillAsync(count, cancellationToken).ConfigureAwait(false))
        {
            throw new EndOfStreamException("the RowBinary answer ended inside a row");
        }
    }

    // Makes at least `count` bytes available; false at the end of the stream.
    private async ValueTask<bool> FillAsync(int count, CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        while (_end < count)
        {
            int read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }

            _end += read;
        }

        return true;
    }
}
