using System.Buffers;
using System.Text;

namespace AnalyticsHub.Protocol.Grpc;

/// <summary>
/// Percent-encoding of <c>grpc-message</c>: UTF-8 bytes outside printable ASCII (0x20–0x7E),
/// and '%' itself, are sent as <c>%XX</c>. Decoding tolerates malformed escapes by keeping them.
/// </summary>
public static class GrpcMessageEncoding
{
    public static string Encode(string message)
    {
        if (!NeedsEncoding(message))
        {
            return message;
        }

        var maxBytes = Encoding.UTF8.GetMaxByteCount(message.Length);
        var rented = ArrayPool<byte>.Shared.Rent(maxBytes);
        try
        {
            var count = Encoding.UTF8.GetBytes(message, rented);
            var builder = new StringBuilder(count * 3);
            foreach (var b in rented.AsSpan(0, count))
            {
                if (b is >= 0x20 and <= 0x7E && b != (byte)'%')
                {
                    builder.Append((char)b);
                }
                else
                {
                    builder.Append('%').Append(HexUpper(b >> 4)).Append(HexUpper(b & 0xF));
                }
            }

            return builder.ToString();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static string Decode(string value)
    {
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        // Each %XX becomes one byte; every other character at most its UTF-8 length.
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(value.Length));
        try
        {
            var count = 0;
            var i = 0;
            while (i < value.Length)
            {
                if (value[i] == '%' && i + 2 < value.Length && TryHex(value[i + 1], out var hi) && TryHex(value[i + 2], out var lo))
                {
                    bytes[count++] = (byte)((hi << 4) | lo);
                    i += 3;
                    continue;
                }

                // A run up to the next '%' is kept as text (a peer that did not encode, or a malformed escape),
                // converted whole so surrogate pairs stay together.
                var start = i++;
                while (i < value.Length && value[i] != '%')
                {
                    i++;
                }

                count += Encoding.UTF8.GetBytes(value.AsSpan(start, i - start), bytes.AsSpan(count));
            }

            return Encoding.UTF8.GetString(bytes, 0, count);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static bool NeedsEncoding(string message)
    {
        foreach (var c in message)
        {
            if (c is < (char)0x20 or > (char)0x7E or '%')
            {
                return true;
            }
        }

        return false;
    }

    private static char HexUpper(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);

    private static bool TryHex(char c, out int value)
    {
        value = c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'a' and <= 'f' => c - 'a' + 10,
            >= 'A' and <= 'F' => c - 'A' + 10,
            _ => -1,
        };
        return value >= 0;
    }
}
