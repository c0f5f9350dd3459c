namespace AnalyticsHub.Protocol.Compression;

/// <summary>Adler-32 (RFC 1950), the zlib trailer checksum.</summary>
internal static class Adler32
{
    private const uint Modulus = 65521;

    // The largest n such that 255n(n+1)/2 + (n+1)(Modulus-1) fits in 32 bits: sums can wait that long for a modulo.
    private const int MaxBlock = 5552;

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint a = 1, b = 0;
        while (!data.IsEmpty)
        {
            var block = data[..Math.Min(data.Length, MaxBlock)];
            foreach (var value in block)
            {
                a += value;
                b += a;
            }

            a %= Modulus;
            b %= Modulus;
            data = data[block.Length..];
        }

        return (b << 16) | a;
    }
}
