namespace AnalyticsHub.Protocol.Json;

/// <summary>Matches JSON keys against proto field names, in snake_case or the camelCase of the same name.</summary>
internal static class JsonNames
{
    /// <summary>Longest key copied for lookup; no field name comes close.</summary>
    public const int MaxKeyLength = 64;

    /// <summary>
    /// True when <paramref name="key"/> is <paramref name="snakeName"/> (<c>metric_value</c>) or its
    /// camelCase form (<c>metricValue</c>). Other casings are different keys, as in protobuf's JSON mapping.
    /// </summary>
    public static bool Matches(ReadOnlySpan<byte> key, ReadOnlySpan<byte> snakeName)
    {
        if (key.Length > snakeName.Length || key.Length == 0)
        {
            return false;
        }

        int i = 0, j = 0;
        while (i < snakeName.Length && j < key.Length)
        {
            var s = snakeName[i];
            if (s == (byte)'_' && key[j] != (byte)'_')
            {
                // camelCase: "_v" in the name is "V" in the key.
                if (++i == snakeName.Length || key[j] != (byte)(snakeName[i] & ~0x20) || !IsLower(snakeName[i]))
                {
                    return false;
                }
            }
            else if (key[j] != s)
            {
                return false;
            }

            i++;
            j++;
        }

        return i == snakeName.Length && j == key.Length;
    }

    private static bool IsLower(byte c) => (uint)(c - 'a') <= 'z' - 'a';
}
