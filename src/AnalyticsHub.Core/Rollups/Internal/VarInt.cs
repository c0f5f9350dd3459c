using System.Numerics;
using System.Runtime.CompilerServices;

namespace AnalyticsHub.Core.Rollups.Internal;

/// <summary>
/// Unsigned LEB128 varints (7 bits a byte, low group first, high bit = more follows; at most 10
/// bytes for 64 bits) and zigzag for signed ones, as protobuf writes them.
/// </summary>
internal static class VarInt
{
    internal const int MaxLength = 10;

    /// <summary>Bytes <see cref="Write"/> uses for <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Length(ulong value) => 1 + ((63 - BitOperations.LeadingZeroCount(value | 1)) / 7);

    /// <summary>Writes <paramref name="value"/> at <paramref name="destination"/>[0..]; returns the bytes written.</summary>
    internal static int Write(Span<byte> destination, ulong value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>
    /// Reads a varint; false when <paramref name="source"/> ends inside it, or it does not fit 64
    /// bits, or it is not in its shortest form (a last byte of 0 after others), so that every
    /// value has exactly one encoding.
    /// </summary>
    internal static bool TryRead(ReadOnlySpan<byte> source, ref int position, out ulong value)
    {
        value = 0;
        int shift = 0;
        for (int i = position; i < source.Length && i - position < MaxLength; i++)
        {
            ulong group = source[i] & 0x7Fu;
            if (shift == 63 && group > 1)
            {
                return false; // the tenth byte holds one bit
            }

            value |= group << shift;
            if (source[i] < 0x80)
            {
                if (source[i] == 0 && i > position)
                {
                    break; // padded
                }

                position = i + 1;
                return true;
            }

            shift += 7;
        }

        value = 0;
        return false;
    }

    internal static ulong ZigZag(int value) => (uint)((value << 1) ^ (value >> 31));

    internal static bool TryUnZigZag(ulong encoded, out int value)
    {
        value = (int)((uint)(encoded >> 1) ^ (uint)-(int)(encoded & 1));
        return encoded <= uint.MaxValue;
    }
}
