using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using AnalyticsHub.Core.Events;

namespace AnalyticsHub.Protocol.Events;

/// <summary>
/// Reads protobuf wire format from a window of a batch arena without copying: length-delimited
/// fields come back as <see cref="ArenaSlice"/>s (absolute arena offsets). Every read returns
/// false on malformed input and records why in <see cref="Error"/>; nothing throws.
/// </summary>
internal ref struct ProtoReader
{
    private readonly ReadOnlySpan<byte> _arena;
    private readonly int _end;
    private int _position;

    public ProtoReader(ReadOnlySpan<byte> arena, ArenaSlice window)
    {
        _arena = arena;
        _position = window.Offset;
        _end = window.Offset + window.Length;
    }

    public readonly bool IsAtEnd => _position >= _end;

    public EventDecodeError Error { get; private set; }

    public bool TryReadTag(out int field, out WireType wireType)
    {
        field = 0;
        wireType = default;
        if (!TryReadVarint(out var tag))
        {
            return false;
        }

        var type = (int)(tag & 7);
        var number = tag >> 3;
        if (number is 0 or > 536_870_911 || type is 3 or 4 or 6 or 7)
        {
            return Fail(EventDecodeError.InvalidTag);
        }

        field = (int)number;
        wireType = (WireType)type;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadVarint(out ulong value)
    {
        // Fast path: one-byte varints are most tags, enums and lengths of short strings.
        if (_position < _end && _arena[_position] < 0x80)
        {
            value = _arena[_position++];
            return true;
        }

        return TryReadVarintSlow(out value);
    }

    public bool TryReadFixed64(out ulong value)
    {
        if (_end - _position < 8)
        {
            value = 0;
            return Fail(EventDecodeError.Truncated);
        }

        value = BinaryPrimitives.ReadUInt64LittleEndian(_arena.Slice(_position, 8));
        _position += 8;
        return true;
    }

    public bool TryReadDouble(out double value)
    {
        var ok = TryReadFixed64(out var bits);
        value = BitConverter.UInt64BitsToDouble(bits);
        return ok;
    }

    public bool TryReadLengthDelimited(out ArenaSlice slice)
    {
        slice = default;
        if (!TryReadVarint(out var length))
        {
            return false;
        }

        if (length > (ulong)(_end - _position))
        {
            return Fail(length > int.MaxValue ? EventDecodeError.MalformedVarint : EventDecodeError.Truncated);
        }

        slice = new ArenaSlice(_position, (int)length);
        _position += (int)length;
        return true;
    }

    /// <summary>Skips a field of any supported wire type (unknown fields, for forward compatibility).</summary>
    public bool TrySkip(WireType wireType)
    {
        switch (wireType)
        {
            case WireType.Varint:
                return TryReadVarint(out _);
            case WireType.Fixed64:
                return TryAdvance(8);
            case WireType.Fixed32:
                return TryAdvance(4);
            case WireType.LengthDelimited:
                return TryReadLengthDelimited(out _);
            default:
                return Fail(EventDecodeError.InvalidTag);
        }
    }

    private bool TryAdvance(int count)
    {
        if (_end - _position < count)
        {
            return Fail(EventDecodeError.Truncated);
        }

        _position += count;
        return true;
    }

    private bool TryReadVarintSlow(out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (_position >= _end)
            {
                return Fail(EventDecodeError.Truncated);
            }

            var b = _arena[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                // The 10th byte may only carry the top bit of a 64-bit value.
                return shift < 63 || b <= 1 || Fail(EventDecodeError.MalformedVarint);
            }
        }

        return Fail(EventDecodeError.MalformedVarint);
    }

    /// <summary>Records a failure found by the caller (schema-level: a nested reader's error, too many map entries).</summary>
    public void SetError(EventDecodeError error) => Error = error;

    private bool Fail(EventDecodeError error)
    {
        Error = error;
        return false;
    }
}
