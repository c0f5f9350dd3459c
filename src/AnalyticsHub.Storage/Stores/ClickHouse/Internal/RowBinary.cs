using System.Runtime.CompilerServices;
using System.Text;

namespace AnalyticsHub.Storage.Stores.ClickHouse.Internal;

/// <summary>
/// RowBinary's <c>String</c> as the row encoders (<see cref="EventRowEncoder"/>, <see cref="RollupRowEncoder"/>)
/// write it: a LEB128 length, then the UTF-8 bytes.
/// </summary>
internal static class RowBinary
{
    /// <summary>UTF-8 without a BOM; a lone surrogate becomes U+FFFD instead of throwing.</summary>
    public static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Bytes a <c>String</c> of <paramref name="length"/> UTF-8 bytes takes, its length included.</summary>
    public static int StringSize(int length) => length switch
    {
        < 1 << 7 => 1 + length,
        < 1 << 14 => 2 + length,
        < 1 << 21 => 3 + length,
        < 1 << 28 => 4 + length,
        _ => 5 + length,
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteString(Span<byte> destination, ref int at, ReadOnlySpan<byte> utf8)
    {
        WriteLength(destination, ref at, utf8.Length);
        utf8.CopyTo(destination[at..]);
        at += utf8.Length;
    }

    public static void WriteString(Span<byte> destination, ref int at, string text)
    {
        WriteLength(destination, ref at, Utf8.GetByteCount(text));
        at += Utf8.GetBytes(text, destination[at..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteLength(Span<byte> destination, ref int at, int length)
    {
        uint value = (uint)length;
        while (value >= 0x80)
        {
            destination[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[at++] = (byte)value;
    }
}
