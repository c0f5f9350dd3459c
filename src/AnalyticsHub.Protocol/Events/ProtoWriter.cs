using System.Buffers.Binary;
using System.Numerics;

namespace AnalyticsHub.Protocol.Events;

/// <summary>Writes protobuf wire format into a span sized by the caller (see <see cref="VarintLength"/>).</summary>
internal ref struct ProtoWriter
{
    private readonly Span<byte> _buffer;

    public ProtoWriter(Span<byte> buffer) => _buffer = buffer;

    public int Position { get; private set; }

    public static int VarintLength(ulong value) => (BitOperations.Log2(value | 1) / 7) + 1;

    public static int TagLength(int field) => VarintLength((ulong)field << 3);

    /// <summary>Bytes a length-delimited field of <paramref name="length"/> bytes takes.</summary>
    public static int LengthDelimitedSize(int field, int length) => TagLength(field) + VarintLength((ulong)length) + length;

    public void WriteTag(int field, WireType wireType) => WriteVarint(((ulong)field << 3) | (byte)wireType);

    public void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer[Position++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _buffer[Position++] = (byte)value;
    }

    public void WriteVarintField(int field, ulong value)
    {
        WriteTag(field, WireType.Varint);
        WriteVarint(value);
    }

    public void WriteFixed64Field(int field, ulong value)
    {
        WriteTag(field, WireType.Fixed64);
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer[Position..], value);
        Position += 8;
    }

    public void WriteDoubleField(int field, double value) => WriteFixed64Field(field, BitConverter.DoubleToUInt64Bits(value));

    public void WriteBytesField(int field, ReadOnlySpan<byte> bytes)
    {
        WriteTag(field, WireType.LengthDelimited);
        WriteVarint((ulong)bytes.Length);
        WriteRaw(bytes);
    }

    public void WriteStringField(int field, string text)
    {
        WriteTag(field, WireType.LengthDelimited);
        WriteVarint((ulong)System.Text.Encoding.UTF8.GetByteCount(text));
        Position += System.Text.Encoding.UTF8.GetBytes(text, _buffer[Position..]);
    }

    /// <summary>The header of a length-delimited field whose <paramref name="length"/> bytes follow.</summary>
    public void WriteLengthDelimitedHeader(int field, int length)
    {
        WriteTag(field, WireType.LengthDelimited);
        WriteVarint((ulong)length);
    }

    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer[Position..]);
        Position += bytes.Length;
    }
}
