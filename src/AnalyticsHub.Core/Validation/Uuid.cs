namespace AnalyticsHub.Core.Validation;

/// <summary>
/// UUID text (<c>event_id</c>, <c>parent_event_id</c>) checked and parsed straight from UTF-8.
/// Only the canonical 36-character form <c>xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx</c> is accepted
/// (hex in either case): no braces, no 32-digit form, no surrounding whitespace. One spelling
/// per id keeps the duplicate window and the store honest — the same id in two spellings would
/// otherwise be two events in search results. Versions and variants are not checked; any
/// 128-bit value in canonical form is an id.
/// </summary>
public static class Uuid
{
    /// <summary>Length of the canonical text form.</summary>
    public const int TextLength = 36;

    /// <summary>True when <paramref name="utf8"/> is a canonical UUID.</summary>
    public static bool IsValid(ReadOnlySpan<byte> utf8) => TryParse(utf8, out _, out _);

    /// <summary>Parses a canonical UUID into a <see cref="Guid"/> without allocating.</summary>
    /// <remarks>The result equals <c>Guid.Parse</c> of the same text.</remarks>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out Guid value)
    {
        if (!TryParse(utf8, out ulong high, out ulong low))
        {
            value = default;
            return false;
        }

        // Guid's (int, short, short, byte x8) constructor takes the fields in text order.
        value = new Guid(
            (int)(high >> 32), (short)(high >> 16), (short)high,
            (byte)(low >> 56), (byte)(low >> 48), (byte)(low >> 40), (byte)(low >> 32),
            (byte)(low >> 24), (byte)(low >> 16), (byte)(low >> 8), (byte)low);
        return true;
    }

    /// <summary>
    /// Parses a canonical UUID into its big-endian 128 bits: <paramref name="high"/> is the first
    /// 16 hex digits in text order, <paramref name="low"/> the last 16 (a cheap duplicate-window key).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out ulong high, out ulong low)
    {
        high = 0;
        low = 0;
        if (utf8.Length != TextLength
            || utf8[8] != (byte)'-' || utf8[13] != (byte)'-' || utf8[18] != (byte)'-' || utf8[23] != (byte)'-')
        {
            return false;
        }

        // 8-4-4 before the third dash are the high 64 bits, 4-12 after it the low 64 bits.
        return TryHex(utf8[..8], ref high) && TryHex(utf8.Slice(9, 4), ref high) && TryHex(utf8.Slice(14, 4), ref high)
            && TryHex(utf8.Slice(19, 4), ref low) && TryHex(utf8.Slice(24, 12), ref low);
    }

    private static bool TryHex(ReadOnlySpan<byte> digits, ref ulong acc)
    {
        foreach (byte c in digits)
        {
            int nibble = HexValue(c);
            if (nibble < 0)
            {
                return false;
            }

            acc = (acc << 4) | (uint)nibble;
        }

        return true;
    }

    private static int HexValue(byte c)
    {
        if ((uint)(c - '0') <= 9)
        {
            return c - '0';
        }

        // Folding to lower case with | 0x20 maps 'A'..'F' onto 'a'..'f' and nothing else into that range.
        uint lower = (uint)(c | 0x20) - 'a';
        return lower <= 5 ? (int)lower + 10 : -1;
    }
}
