using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AnalyticsHub.Core.Validation;

/// <summary>
/// UUID text (<c>event_id</c>, <c>parent_event_id</c>) checked and parsed straight from UTF-8.
/// Only the canonical 36-character form <c>xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx</c> is accepted
/// (hex in either case): no braces, no 32-digit form, no surrounding whitespace. One spelling
/// per id keeps the duplicate window and the store honest — the same id in two spellings would
/// otherwise be two events in search results. Versions and variants are not checked; any
/// 128-bit value in canonical form is an id.
/// </summary>
/// <remarks>
/// Runs once per event (validation, then the duplicate window), so it is branch-free over the
/// digits: with <see cref="Vector128"/> acceleration all 32 digits are gathered, checked and
/// converted in two 16-byte registers; otherwise a 256-entry table maps each byte to its value.
/// Random ids gave the old per-character branches nothing to predict.
/// </remarks>
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
    /// Both are 0 when it returns false.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out ulong high, out ulong low)
    {
        if (utf8.Length != TextLength)
        {
            high = 0;
            low = 0;
            return false;
        }

        return Vector128.IsHardwareAccelerated
            ? TryParseVector(ref MemoryMarshal.GetReference(utf8), out high, out low)
            : TryParseScalar(utf8, out high, out low);
    }

    /// <summary>The vector path; <paramref name="text"/> is the first of exactly <see cref="TextLength"/> bytes.</summary>
    internal static bool TryParseVector(ref byte text, out ulong high, out ulong low)
    {
        // Three overlapping loads cover the 36 bytes: [0, 16), [16, 32) and [20, 36).
        var head = Vector128.LoadUnsafe(ref text);
        var middle = Vector128.LoadUnsafe(ref text, 16);
        var tail = Vector128.LoadUnsafe(ref text, 20);

        // The 32 digits in text order with the dashes squeezed out (an index of 0xFF selects 0):
        // the high half is characters 0-7, 9-12, 14-17; the low half 19-22, 24-35.
        var first = Vector128.Shuffle(head, Vector128.Create((byte)0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 14, 15, 0xFF, 0xFF))
            | Vector128.Shuffle(middle, Vector128.Create((byte)0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 1));
        var last = Vector128.Shuffle(middle, Vector128.Create((byte)3, 4, 5, 6, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF))
            | Vector128.Shuffle(tail, Vector128.Create((byte)0xFF, 0xFF, 0xFF, 0xFF, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));

        var firstValues = HexValues(first, out var firstValid);
        var lastValues = HexValues(last, out var lastValid);
        int dashes = (Unsafe.Add(ref text, 8) ^ '-') | (Unsafe.Add(ref text, 13) ^ '-')
            | (Unsafe.Add(ref text, 18) ^ '-') | (Unsafe.Add(ref text, 23) ^ '-');
        if (dashes != 0 || (firstValid & lastValid) != Vector128<byte>.AllBitsSet)
        {
            high = 0;
            low = 0;
            return false;
        }

        // Two digits per byte. Read as little-endian 16-bit lanes, each pair is d0 | d1 << 8;
        // (lane << 4) | (lane >> 8) has d0 << 4 | d1 in its low byte, which Narrow keeps.
        var firstPairs = firstValues.AsUInt16();
        var lastPairs = lastValues.AsUInt16();
        var bytes = Vector128.Narrow((firstPairs << 4) | (firstPairs >> 8), (lastPairs << 4) | (lastPairs >> 8)).AsUInt64();

        // bytes holds the 16 bytes in text order, i.e. big-endian.
        high = BinaryPrimitives.ReverseEndianness(bytes.ToScalar());
        low = BinaryPrimitives.ReverseEndianness(bytes.GetElement(1));
        return true;
    }

    /// <summary>Each lane's hex digit value; <paramref name="valid"/> is all ones in the lanes that are hex digits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> HexValues(Vector128<byte> chars, out Vector128<byte> valid)
    {
        // Byte arithmetic wraps, so "c - '0' < 10" holds for '0'..'9' only, and (folding case
        // with | 0x20) "(c | 0x20) - 'a' < 6" for 'a'..'f' and 'A'..'F' only.
        var digit = chars - Vector128.Create((byte)'0');
        var letter = (chars | Vector128.Create((byte)0x20)) - Vector128.Create((byte)'a');
        var isDigit = Vector128.LessThan(digit, Vector128.Create((byte)10));
        valid = isDigit | Vector128.LessThan(letter, Vector128.Create((byte)6));
        return Vector128.ConditionalSelect(isDigit, digit, letter + Vector128.Create((byte)10));
    }

    /// <summary>The scalar path (no vector acceleration); exposed to tests, which run where vectors are accelerated.</summary>
    internal static bool TryParseScalar(ReadOnlySpan<byte> utf8, out ulong high, out ulong low)
    {
        high = 0;
        low = 0;
        if (utf8.Length != TextLength
            || ((utf8[8] ^ '-') | (utf8[13] ^ '-') | (utf8[18] ^ '-') | (utf8[23] ^ '-')) != 0)
        {
            return false;
        }

        ReadOnlySpan<byte> offsets = DigitOffsets;
        ReadOnlySpan<byte> values = HexValueTable;
        ulong first = 0, last = 0;
        uint seen = 0;
        for (int i = 0; i < 16; i++)
        {
            uint value = values[utf8[offsets[i]]];
            seen |= value;
            first = (first << 4) | value;
        }

        for (int i = 16; i < 32; i++)
        {
            uint value = values[utf8[offsets[i]]];
            seen |= value;
            last = (last << 4) | value;
        }

        // Digits are 0-15; one invalid byte (0xFF) anywhere sets the high bits.
        if (seen > 0xF)
        {
            return false;
        }

        high = first;
        low = last;
        return true;
    }

    /// <summary>Where the 32 digits are in the text: 8-4-4 before the third dash, 4-12 after it.</summary>
    private static ReadOnlySpan<byte> DigitOffsets =>
    [
        0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 14, 15, 16, 17,
        19, 20, 21, 22, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35,
    ];

    private const byte X = 0xFF;

    /// <summary>Byte → hex digit value, 0xFF for anything that is not a hex digit.</summary>
    private static ReadOnlySpan<byte> HexValueTable =>
    [
        X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, // 0x0_
        X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, // 0x1_
        X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, // 0x2_
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, X, X, X, X, X, X, // 0x3_ '0'-'9'
        X, 10, 11, 12, 13, 14, 15, X, X, X, X, X, X, X, X, X, // 0x4_ 'A'-'F'
        X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, // 0x5_
        X, 10, 11, 12, 13, 14, 15, X, X, X, X, X, X, X, X, X, // 0x6_ 'a'-'f'
        X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, // 0x7_
        X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, // 0x8_
        X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, // 0x9_
        X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, // 0xA_
        X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, // 0xB_
        X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, // 0xC_
        X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, // 0xD_
        X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, // 0xE_
        X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, // 0xF_
    ];
}
