using System.Buffers;
using AnalyticsHub.Protocol.Events;

namespace AnalyticsHub.Protocol.Json;

/// <summary>A length-delimited field whose length is written when it ends.</summary>
internal readonly record struct NestedField(int ContentStart, int ReservedLengthBytes);

/// <summary>
/// A growable, pooled protobuf output for one batch. Nested messages are written before their
/// length is known: <see cref="BeginNested"/> reserves a guessed varint size and
/// <see cref="EndNested"/> moves the content when the guess was wrong (one memmove, rare when the
/// guess comes from an upper bound). Writers can rewind to a mark to drop a half-written field.
/// </summary>
internal sealed class ProtoMessageBuffer : IDisposable
{
    private byte[] _buffer;
    private int _position;

    public ProtoMessageBuffer(int initialCapacity)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 256));
    }

    /// <summary>Bytes written; set it lower to drop what came after a mark.</summary>
    public int Position
    {
        get => _position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, _position);
            _position = value;
        }
    }

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _position);

    public ReadOnlySpan<byte> Slice(int offset, int length) => _buffer.AsSpan(offset, length);

    /// <summary>Room for <paramref name="sizeHint"/> bytes at <see cref="Position"/>; commit with <see cref="Advance"/>.</summary>
    public Span<byte> GetSpan(int sizeHint)
    {
        EnsureCapacity(sizeHint);
        return _buffer.AsSpan(_position);
    }

    public void Advance(int count) => _position += count;

    public void WriteTag(int field, WireType wireType)
    {
        var writer = new ProtoWriter(GetSpan(10));
        writer.WriteTag(field, wireType);
        _position += writer.Position;
    }

    public void WriteVarintField(int field, ulong value)
    {
        var writer = new ProtoWriter(GetSpan(20));
        writer.WriteVarintField(field, value);
        _position += writer.Position;
    }

    public void WriteFixed64Field(int field, ulong value)
    {
        var writer = new ProtoWriter(GetSpan(20));
        writer.WriteFixed64Field(field, value);
        _position += writer.Position;
    }

    public void WriteDoubleField(int field, double value) => WriteFixed64Field(field, BitConverter.DoubleToUInt64Bits(value));

    public void WriteBytesField(int field, ReadOnlySpan<byte> bytes)
    {
        var writer = new ProtoWriter(GetSpan(ProtoWriter.LengthDelimitedSize(field, bytes.Length)));
        writer.WriteBytesField(field, bytes);
        _position += writer.Position;
    }

    public void WriteStringField(int field, string text)
    {
        var writer = new ProtoWriter(GetSpan(ProtoWriter.LengthDelimitedSize(field, System.Text.Encoding.UTF8.GetMaxByteCount(text.Length))));
        writer.WriteStringField(field, text);
        _position += writer.Position;
    }

    /// <summary>Writes a field holding bytes already in this buffer (a map value promoted to a field).</summary>
    public void WriteBytesFieldFromSelf(int field, int offset, int length)
    {
        EnsureCapacity(ProtoWriter.LengthDelimitedSize(field, length));
        WriteBytesField(field, _buffer.AsSpan(offset, length));
    }

    /// <summary>Starts a length-delimited field, reserving a varint of the size <paramref name="maxLength"/> would need.</summary>
    public NestedField BeginNested(int field, int maxLength = 127)
    {
        WriteTag(field, WireType.LengthDelimited);
        var reserved = ProtoWriter.VarintLength((ulong)Math.Max(maxLength, 0));
        EnsureCapacity(reserved);
        _position += reserved;
        return new NestedField(_position, reserved);
    }

    /// <summary>Writes the length of a field begun with <see cref="BeginNested"/>; returns how far its content moved.</summary>
    public int EndNested(NestedField nested)
    {
        var length = _position - nested.ContentStart;
        var needed = ProtoWriter.VarintLength((ulong)length);
        var shift = needed - nested.ReservedLengthBytes;
        if (shift != 0)
        {
            EnsureCapacity(Math.Max(shift, 0));
            _buffer.AsSpan(nested.ContentStart, length).CopyTo(_buffer.AsSpan(nested.ContentStart + shift));
            _position += shift;
        }

        var writer = new ProtoWriter(_buffer.AsSpan(nested.ContentStart - nested.ReservedLengthBytes, needed));
        writer.WriteVarint((ulong)length);
        return shift;
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _position = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void EnsureCapacity(int sizeHint)
    {
        if (_buffer.Length - _position >= sizeHint)
        {
            return;
        }

        var next = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _position + sizeHint));
        _buffer.AsSpan(0, _position).CopyTo(next);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = next;
    }
}
