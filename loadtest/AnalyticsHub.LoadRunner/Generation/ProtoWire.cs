namespace AnalyticsHub.LoadRunner.Generation;

/// <summary>The few protobuf wire-format steps the batch templates need (varints, tags, skipping).</summary>
internal static class ProtoWire
{
    public const int WireVarint = 0;
    public const int WireFixed64 = 1;
    public const int WireLengthDelimited = 2;
    public const int WireFixed32 = 5;

    /// <summary>Most bytes a varint takes.</summary>
    public const int MaxVarintLength = 10;

    public static ulong ReadVarint(ReadOnlySpan<byte> buffer, ref int position)
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= buffer.Length)
            {
                throw new FormatException("Truncated varint.");
            }

            var b = buffer[position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new FormatException("Malformed varint.");
    }

    public static int WriteVarint(Span<byte> destination, ulong value)
    {
        var n = 0;
        while (value >= 0x80)
        {
            destination[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[n++] = (byte)value;
        return n;
    }

    /// <summary>Steps over the value of a field of <paramref name="wireType"/>.</summary>
    public static void Skip(ReadOnlySpan<byte> buffer, ref int position, int wireType)
    {
        switch (wireType)
        {
            case WireVarint:
                ReadVarint(buffer, ref position);
                break;
            case WireFixed64:
                position += 8;
                break;
            case WireLengthDelimited:
                var length = (int)ReadVarint(buffer, ref position);
                position += length;
                break;
            case WireFixed32:
                position += 4;
                break;
            default:
                throw new FormatException($"Unsupported wire type {wireType}.");
        }

        if (position > buffer.Length)
        {
            throw new FormatException("Truncated field.");
        }
    }
}
