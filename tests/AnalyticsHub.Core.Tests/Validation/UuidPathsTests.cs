using System.Runtime.InteropServices;
using System.Text;
using AnalyticsHub.Core.Validation;

namespace AnalyticsHub.Core.Tests.Validation;

/// <summary>
/// <see cref="Uuid"/>'s two implementations (vector and lookup table) against a plain reference,
/// on every byte value at every position of a canonical UUID: the same verdict and the same bits.
/// </summary>
public sealed class UuidPathsTests
{
    private const string Lower = "00112233-4455-6677-8899-aabbccddeeff";
    private const string Upper = "AABBCCDD-EEFF-0011-2233-445566778899";

    [Theory]
    [InlineData(Lower)]
    [InlineData(Upper)]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e")]
    public void EveryByteAtEveryPosition_BothPathsAgreeWithTheReference(string valid)
    {
        var text = Encoding.ASCII.GetBytes(valid);
        for (var position = 0; position < Uuid.TextLength; position++)
        {
            for (var value = 0; value < 256; value++)
            {
                var mutated = text.ToArray();
                mutated[position] = (byte)value;
                AssertAllAgree(mutated);
            }
        }
    }

    [Fact]
    public void RandomUuids_BothPathsGiveGuidParsesBits()
    {
        var random = new Random(7);
        var bytes = new byte[16];
        for (var i = 0; i < 10_000; i++)
        {
            random.NextBytes(bytes);
            var guid = new Guid(bytes);
            var text = guid.ToString("D");
            var utf8 = Encoding.ASCII.GetBytes(i % 3 == 0 ? text.ToUpperInvariant() : text);

            AssertAllAgree(utf8);
            Assert.True(Uuid.TryParse(utf8, out Guid parsed));
            Assert.Equal(guid, parsed);
        }
    }

    [Fact]
    public void WrongLengths_AreRejectedWithZeroBits()
    {
        var text = Encoding.ASCII.GetBytes(Lower + "00");
        for (var length = 0; length <= text.Length; length++)
        {
            if (length == Uuid.TextLength)
            {
                continue;
            }

            Assert.False(Uuid.TryParse(text.AsSpan(0, length), out ulong high, out ulong low));
            Assert.Equal((0UL, 0UL), (high, low));
            Assert.False(Uuid.TryParseScalar(text.AsSpan(0, length), out high, out low));
            Assert.Equal((0UL, 0UL), (high, low));
        }
    }

    private static void AssertAllAgree(byte[] utf8)
    {
        var expected = Reference(utf8, out ulong expectedHigh, out ulong expectedLow);

        var scalar = Uuid.TryParseScalar(utf8, out ulong scalarHigh, out ulong scalarLow);
        var vector = Uuid.TryParseVector(ref MemoryMarshal.GetArrayDataReference(utf8), out ulong vectorHigh, out ulong vectorLow);
        var chosen = Uuid.TryParse(utf8, out ulong high, out ulong low);

        var text = Convert.ToHexString(utf8);
        Assert.True(expected == scalar, $"scalar on {text}");
        Assert.True(expected == vector, $"vector on {text}");
        Assert.True(expected == chosen, $"TryParse on {text}");
        Assert.Equal((expectedHigh, expectedLow), (scalarHigh, scalarLow));
        Assert.Equal((expectedHigh, expectedLow), (vectorHigh, vectorLow));
        Assert.Equal((expectedHigh, expectedLow), (high, low));
    }

    /// <summary>The rule spelled out one character at a time; 0 bits when false.</summary>
    private static bool Reference(byte[] utf8, out ulong high, out ulong low)
    {
        high = 0;
        low = 0;
        if (utf8.Length != Uuid.TextLength)
        {
            return false;
        }

        ulong h = 0, l = 0;
        var digits = 0;
        for (var i = 0; i < utf8.Length; i++)
        {
            var c = (char)utf8[i];
            if (i is 8 or 13 or 18 or 23)
            {
                if (c != '-')
                {
                    return false;
                }

                continue;
            }

            int value = c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'f' ? c - 'a' + 10 : c is >= 'A' and <= 'F' ? c - 'A' + 10 : -1;
            if (value < 0)
            {
                return false;
            }

            if (digits++ < 16)
            {
                h = (h << 4) | (uint)value;
            }
            else
            {
                l = (l << 4) | (uint)value;
            }
        }

        (high, low) = (h, l);
        return true;
    }
}
