using System.Buffers.Binary;
using System.Buffers.Text;
using System.Text;

namespace AnalyticsHub.Core.Query;

/// <summary>
/// The opaque page cursor of event search: a <see cref="SearchCursor"/> as URL-safe base64
/// (no padding), safe in a query string as is.
/// <code>
///  0        1                9         10
///  +--------+----------------+---------+----------------------+
///  | ver=1  | time_unix_nano | id len  | event_id (UTF-8)     |
///  | byte   | int64 BE       | byte    | 1..255 bytes         |
///  +--------+----------------+---------+----------------------+
/// </code>
/// A cursor that does not decode to exactly this (other version, wrong length, negative time,
/// empty or control-character id, bad base64) is refused.
/// </summary>
public static class SearchCursorCodec
{
    public const byte Version = 1;
    public const int MaxEventIdBytes = 255;

    private const int HeaderSize = 10;
    private const int MaxBytes = HeaderSize + MaxEventIdBytes;

    public static string Encode(SearchCursor cursor)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cursor.TimeUnixNano);
        ArgumentException.ThrowIfNullOrEmpty(cursor.EventId);
        var idLength = Encoding.UTF8.GetByteCount(cursor.EventId);
        if (idLength > MaxEventIdBytes)
        {
            throw new ArgumentException($"An event id of {idLength} bytes does not fit a cursor (at most {MaxEventIdBytes}).", nameof(cursor));
        }

        Span<byte> bytes = stackalloc byte[MaxBytes];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], cursor.TimeUnixNano);
        bytes[9] = (byte)idLength;
        Encoding.UTF8.GetBytes(cursor.EventId, bytes[HeaderSize..]);
        return Base64Url.EncodeToString(bytes[..(HeaderSize + idLength)]);
    }

    public static bool TryDecode(string? text, out SearchCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(text) || text.Length > Base64Url.GetEncodedLength(MaxBytes) || text.AsSpan().ContainsAnyExcept(UrlSafe))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[MaxBytes + 3];
        if (!Base64Url.TryDecodeFromChars(text, bytes, out var length) || length < HeaderSize + 1 || bytes[0] != Version)
        {
            return false;
        }

        var time = BinaryPrimitives.ReadInt64BigEndian(bytes[1..]);
        var idLength = bytes[9];
        if (time < 0 || length != HeaderSize + idLength || idLength == 0)
        {
            return false;
        }

        var idBytes = bytes.Slice(HeaderSize, idLength);
        if (!System.Text.Unicode.Utf8.IsValid(idBytes))
        {
            return false;
        }

        var id = Encoding.UTF8.GetString(idBytes);
        if (QueryNames.HasControl(id))
        {
            return false;
        }

        cursor = new SearchCursor(time, id);
        return true;
    }

    private static readonly System.Buffers.SearchValues<char> UrlSafe =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
}
