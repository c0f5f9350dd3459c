namespace AnalyticsHub.Core.Normalization;

/// <summary>Byte-level text helpers for table lookups on UTF-8 spans.</summary>
internal static class AsciiText
{
    /// <summary>
    /// Equal ignoring ASCII letter case; every other byte (digits, punctuation, the bytes of
    /// "µ") must match exactly. Unlike <c>System.Text.Ascii.EqualsIgnoreCase</c> this accepts
    /// non-ASCII bytes, which the unit table needs.
    /// </summary>
    public static bool EqualsIgnoreCase(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        if (left.Length != right.Length)
        {
            return false;
        }

        for (int i = 0; i < left.Length; i++)
        {
            byte a = left[i];
            byte b = right[i];
            if (a != b && !(IsLetter(a) && (a | 0x20) == (b | 0x20)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><paramref name="text"/> without leading and trailing ASCII whitespace (space, \t, \r, \n, \v, \f).</summary>
    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> text)
    {
        int start = 0;
        int end = text.Length;
        while (start < end && IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        return text[start..end];
    }

    public static bool IsLetter(byte c) => (uint)((c | 0x20) - 'a') <= 'z' - 'a';

    private static bool IsWhiteSpace(byte c) => c == ' ' || (uint)(c - '\t') <= '\r' - '\t';
}
