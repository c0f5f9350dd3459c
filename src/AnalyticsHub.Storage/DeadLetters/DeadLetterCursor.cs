using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;

namespace AnalyticsHub.Storage.DeadLetters;

/// <summary>
/// The opaque paging cursor: base64url of a version byte, the last returned id and a check
/// value. The check catches edited or truncated cursors; it is not a security boundary (a
/// forged cursor can only move the page start, never widen the query's filters).
/// </summary>
/// <remarks>
/// <code>
/// 0        1                9             12
/// +--------+----------------+-------------+
/// | ver=1  | last id (BE)   | check (BE)  |
/// +--------+----------------+-------------+
/// 12 bytes are exactly 16 base64url chars: no spare bits, so any edited char changes the bytes.
/// </code>
/// </remarks>
internal static class DeadLetterCursor
{
    private const byte Version = 1;
    private const int Size = 12;
    private const int MaxChars = 24; // the encoding is 16 chars; anything much longer is garbage

    public static string Encode(long lastId)
    {
        Span<byte> bytes = stackalloc byte[Size];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], lastId);
        WriteCheck(bytes[9..], Check(lastId));
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>The last id the previous page returned.</summary>
    /// <exception cref="ArgumentException">The cursor was not produced by <see cref="Encode"/>.</exception>
    public static long Decode(string cursor)
    {
        Span<byte> bytes = stackalloc byte[Size + 3];
        if (cursor.Length > MaxChars
            || Base64Url.DecodeFromChars(cursor, bytes, out _, out int written) != OperationStatus.Done
            || written != Size
            || bytes[0] != Version)
        {
            throw Invalid();
        }
        long id = BinaryPrimitives.ReadInt64BigEndian(bytes[1..]);
        if (id < 0 || ReadCheck(bytes[9..]) != Check(id))
        {
            throw Invalid();
        }
        return id;
    }

    // 24 bits of the SplitMix64 finaliser over a fixed salt: stable across processes, so cursors survive restarts.
    private static uint Check(long id)
    {
        ulong x = unchecked((ulong)id ^ 0x9E3779B97F4A7C15UL);
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        return (uint)((x ^ (x >> 31)) >> 40);
    }

    private static void WriteCheck(Span<byte> into, uint check)
    {
        into[0] = (byte)(check >> 16);
        into[1] = (byte)(check >> 8);
        into[2] = (byte)check;
    }

    private static uint ReadCheck(ReadOnlySpan<byte> from) => (uint)(from[0] << 16 | from[1] << 8 | from[2]);

    private static ArgumentException Invalid() =>
        new("The dead-letter cursor is invalid: pass back the NextCursor of a previous page unchanged.", nameof(DeadLetterQuery.Cursor));
}
