namespace AnalyticsHub.Core.Tests.Ingestion;

/// <summary>Writes canonical UUID text for test ids without allocating (for the allocation tests).</summary>
internal static class UuidText
{
    public const int Length = 36;

    public static byte[] Of(ulong high, ulong low, bool upperCase = false)
    {
        var text = new byte[Length];
        Write(text, high, low, upperCase);
        return text;
    }

    public static void Write(Span<byte> destination, ulong high, ulong low, bool upperCase = false)
    {
        var digits = upperCase ? "0123456789ABCDEF"u8 : "0123456789abcdef"u8;
        int at = 0;
        for (int nibble = 0; nibble < 32; nibble++)
        {
            if (nibble is 8 or 12 or 16 or 20)
            {
                destination[at++] = (byte)'-';
            }

            ulong word = nibble < 16 ? high : low;
            destination[at++] = digits[(int)(word >> (60 - (4 * (nibble & 15)))) & 0xF];
        }
    }
}
