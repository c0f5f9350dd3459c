using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace AnalyticsHub.LoadRunner.Generation;

/// <summary>
/// Event ids in UUID version-4 text form, unique across a run and (with overwhelming
/// probability) across runs, without a random draw per id: the high 64 bits are a per-run random
/// prefix (60 random bits + the version nibble), the low 64 bits the variant bits + a 62-bit
/// counter. Ids are handed out in blocks (<see cref="Reserve"/>, one interlocked add per batch)
/// and written as lower-case hex; per event only the 17 characters after the third dash change.
/// </summary>
/// <remarks>
/// <code>
///  0        9    14   19   24
///  xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx     V ∈ {8,9,a,b} (RFC 9562 variant 10xx)
///  └── run prefix ──┘ └──── counter ───┘
/// </code>
/// Two runs collide only if their 60-bit prefixes do (p ≈ n²/2^61 for n runs).
/// </remarks>
public sealed class EventIdGenerator
{
    /// <summary>Length of the UUID text.</summary>
    public const int TextLength = 36;

    /// <summary>Offset of the part that depends on the counter (<c>Vxxx-xxxxxxxxxxxx</c>).</summary>
    public const int CounterOffset = 19;

    /// <summary>Length of the part that depends on the counter, dash included.</summary>
    public const int CounterLength = 17;

    private const ulong VersionMask = 0xFFFF_FFFF_FFFF_0FFFUL;
    private const ulong Version4 = 0x0000_0000_0000_4000UL;
    private const ulong VariantBits = 0x8000_0000_0000_0000UL;
    private const ulong CounterMask = 0x3FFF_FFFF_FFFF_FFFFUL;

    // Two lower-case hex digits per byte value, as one little-endian ushort ('0','1' → 0x3130).
    private static readonly ushort[] HexPairs = BuildHexPairs();

    private readonly byte[] _prefix = new byte[CounterOffset];
    private long _next;

    /// <summary>A generator with a random run prefix.</summary>
    public EventIdGenerator()
        : this(RandomPrefix())
    {
    }

    /// <summary>A generator with the given run prefix (its version nibble is forced to 4).</summary>
    public EventIdGenerator(ulong runPrefix)
    {
        RunPrefix = (runPrefix & VersionMask) | Version4;
        Span<byte> hex = stackalloc byte[16];
        WriteHex(RunPrefix, hex);
        hex[..8].CopyTo(_prefix);
        _prefix[8] = (byte)'-';
        hex.Slice(8, 4).CopyTo(_prefix.AsSpan(9));
        _prefix[13] = (byte)'-';
        hex.Slice(12, 4).CopyTo(_prefix.AsSpan(14));
        _prefix[18] = (byte)'-';
    }

    /// <summary>The high 64 bits shared by every id of this generator.</summary>
    public ulong RunPrefix { get; }

    /// <summary>The first 19 characters of every id (<c>xxxxxxxx-xxxx-4xxx-</c>), UTF-8.</summary>
    public ReadOnlySpan<byte> PrefixText => _prefix;

    /// <summary>Ids handed out so far.</summary>
    public long Issued => Volatile.Read(ref _next);

    /// <summary>Reserves <paramref name="count"/> consecutive counters; returns the first. Thread-safe.</summary>
    public ulong Reserve(int count) => (ulong)(Interlocked.Add(ref _next, count) - count);

    /// <summary>Writes the whole 36-character id for <paramref name="counter"/>.</summary>
    public void Write(ulong counter, Span<byte> destination)
    {
        _prefix.CopyTo(destination);
        WriteCounter(counter, destination.Slice(CounterOffset, CounterLength));
    }

    /// <summary>The id for <paramref name="counter"/> as a string (tests, templates).</summary>
    public string Format(ulong counter)
    {
        Span<byte> text = stackalloc byte[TextLength];
        Write(counter, text);
        return System.Text.Encoding.ASCII.GetString(text);
    }

    /// <summary>Writes the counter-dependent 17 characters <c>Vxxx-xxxxxxxxxxxx</c>.</summary>
    public static void WriteCounter(ulong counter, Span<byte> destination17)
    {
        var low = VariantBits | (counter & CounterMask);
        var d = destination17[..CounterLength];
        var pairs = HexPairs;

        // "Vxxx": the top two bytes of low; then '-'; then the remaining six bytes.
        WritePair(d, 0, pairs[(byte)(low >> 56)]);
        WritePair(d, 2, pairs[(byte)(low >> 48)]);
        d[4] = (byte)'-';
        WritePair(d, 5, pairs[(byte)(low >> 40)]);
        WritePair(d, 7, pairs[(byte)(low >> 32)]);
        WritePair(d, 9, pairs[(byte)(low >> 24)]);
        WritePair(d, 11, pairs[(byte)(low >> 16)]);
        WritePair(d, 13, pairs[(byte)(low >> 8)]);
        WritePair(d, 15, pairs[(byte)low]);
    }

    private static ulong RandomPrefix()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }

    private static void WritePair(Span<byte> destination, int offset, ushort pair) =>
        MemoryMarshal.Write(destination[offset..], in pair);

    private static void WriteHex(ulong value, Span<byte> destination16)
    {
        for (var i = 0; i < 8; i++)
        {
            WritePair(destination16, i * 2, HexPairs[(byte)(value >> (56 - (8 * i)))]);
        }
    }

    private static ushort[] BuildHexPairs()
    {
        const string digits = "0123456789abcdef";
        var table = new ushort[256];
        for (var i = 0; i < 256; i++)
        {
            // Little-endian: the first character in the low byte.
            table[i] = BitConverter.IsLittleEndian
                ? (ushort)(digits[i >> 4] | (digits[i & 0xF] << 8))
                : (ushort)((digits[i >> 4] << 8) | digits[i & 0xF]);
        }

        return table;
    }
}
