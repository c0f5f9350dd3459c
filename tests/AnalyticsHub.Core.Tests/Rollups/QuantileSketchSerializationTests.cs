using System.Buffers.Binary;
using AnalyticsHub.Core.Rollups;

namespace AnalyticsHub.Core.Tests.Rollups;

/// <summary>
/// The persisted form: byte-exact layout, round trips, and a reader that refuses anything else
/// without throwing or allocating from lengths found in the input.
/// </summary>
public sealed class QuantileSketchSerializationTests
{
    private static readonly byte[] AccuracyBytes = BitConverter.GetBytes(0.01);

    public static TheoryData<string> Sketches() => new() { "empty", "one", "zeros", "mixed", "collapsed", "large-counts" };

    private static QuantileSketch Make(string name)
    {
        var sketch = new QuantileSketch();
        switch (name)
        {
            case "one":
                sketch.Add(3.5);
                break;
            case "zeros":
                sketch.Add(0, 7);
                break;
            case "mixed":
                foreach (double value in SketchData.Generate("mixed-with-zeros", 5000))
                {
                    sketch.Add(value);
                }

                break;
            case "collapsed":
                foreach (double value in SketchData.LogUniform(30_000, -30, 30, seed: 9))
                {
                    sketch.Add(value);
                    sketch.Add(-value / 7);
                }

                break;
            case "large-counts":
                sketch.Add(1, ulong.MaxValue / 4);
                sketch.Add(-1e9, ulong.MaxValue / 4);
                sketch.Add(0, 1);
                break;
        }

        return sketch;
    }

    [Fact]
    public void Layout_IsAsDocumented_ByteForByte()
    {
        var sketch = new QuantileSketch();
        sketch.Add(2.0);             // index 34: zigzag 68
        sketch.Add(-2.0, 200);       // negative store key −34: zigzag 67
        sketch.Add(0, 3);

        byte[] expected =
        [
            1, .. AccuracyBytes,     // version, accuracy
            3,                       // zero count
            67, 1, 0xC8, 0x01,       // negative: key −34, one bin, count 200
            68, 1, 1,                // positive: key 34, one bin, count 1
        ];
        Assert.Equal(expected, SketchData.Bytes(sketch));
        Assert.Equal(expected.Length, sketch.GetSerializedLength());
    }

    [Fact]
    public void EmptySketch_IsThirteenBytes()
    {
        byte[] expected = [1, .. AccuracyBytes, 0, 0, 0, 0, 0];
        Assert.Equal(expected, SketchData.Bytes(new QuantileSketch()));
    }

    [Theory]
    [MemberData(nameof(Sketches))]
    public void RoundTrip_GivesAnEqualSketch(string name)
    {
        var sketch = Make(name);
        var bytes = SketchData.Bytes(sketch);

        var read = SketchData.SketchOf([17.0, -4]); // not empty before: the read replaces it
        Assert.True(QuantileSketch.TryReadFrom(bytes, read));

        Assert.Equal(sketch.Count, read.Count);
        Assert.Equal(bytes, SketchData.Bytes(read));
        foreach (double q in SketchData.Quantiles)
        {
            Assert.Equal(sketch.Quantile(q), read.Quantile(q));
        }

        // A read sketch takes more values like the original.
        sketch.Add(12345);
        read.Add(12345);
        Assert.Equal(SketchData.Bytes(sketch), SketchData.Bytes(read));
    }

    [Theory]
    [MemberData(nameof(Sketches))]
    public void EveryTruncation_IsRefused_AndLeavesTheTargetEmpty(string name)
    {
        var bytes = SketchData.Bytes(Make(name));
        var into = new QuantileSketch();
        for (int length = 0; length < bytes.Length; length++)
        {
            into.Add(1);
            Assert.False(QuantileSketch.TryReadFrom(bytes.AsSpan(0, length), into), $"prefix of {length} bytes");
            Assert.True(into.IsEmpty);
            Assert.False(QuantileSketch.TryReadFrom(bytes.AsSpan(0, length), into, out int read));
            Assert.Equal(0, read);
        }
    }

    [Fact]
    public void TrailingBytes_AreRefusedByTheExactReader_AndMeasuredByTheOther()
    {
        var bytes = SketchData.Bytes(Make("mixed"));
        byte[] longer = [.. bytes, 0xAB, 0xCD];
        var into = new QuantileSketch();

        Assert.False(QuantileSketch.TryReadFrom(longer, into));
        Assert.True(QuantileSketch.TryReadFrom(longer, into, out int read));
        Assert.Equal(bytes.Length, read);
        Assert.Equal(bytes, SketchData.Bytes(into));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(255)]
    public void AnotherVersion_IsRefused(byte version)
    {
        var bytes = SketchData.Bytes(Make("one"));
        bytes[0] = version;
        Assert.False(QuantileSketch.TryReadFrom(bytes, new QuantileSketch()));
    }

    [Theory]
    [InlineData(0.02)]
    [InlineData(0.005)]
    [InlineData(0.010000000000000002)]
    [InlineData(double.NaN)]
    public void AnotherAccuracy_IsRefused(double accuracy)
    {
        var bytes = SketchData.Bytes(Make("one"));
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(1), accuracy);
        Assert.False(QuantileSketch.TryReadFrom(bytes, new QuantileSketch()));
    }

    [Theory]
    [InlineData(2049UL)]
    [InlineData(1UL << 31)]
    [InlineData(1UL << 35)]
    [InlineData(ulong.MaxValue)]
    public void HugeBinCount_IsRefused_WithoutAllocating(ulong binCount)
    {
        // A bin count announcing more than the cap, followed by enough bytes to satisfy it if
        // the reader believed it up to 16 KiB.
        var bytes = new List<byte> { 1 };
        bytes.AddRange(AccuracyBytes);
        bytes.Add(0);                   // zero count
        bytes.AddRange([0, 0]);         // empty negative store
        bytes.Add(0);                   // positive first key 0
        bytes.AddRange(Varint(binCount));
        bytes.AddRange(Enumerable.Repeat((byte)1, 20_000));
        var input = bytes.ToArray();
        var into = new QuantileSketch();

        Assert.False(QuantileSketch.TryReadFrom(input, into)); // warm-up (JIT)
        long before = GC.GetAllocatedBytesForCurrentThread();
        bool accepted = QuantileSketch.TryReadFrom(input, into);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.False(accepted);
        Assert.Equal(0, allocated);
        Assert.True(into.MemoryBytes < 200, $"{into.MemoryBytes} bytes"); // no bin arrays either
    }

    [Fact]
    public void BinCountAtTheCap_IsAccepted()
    {
        var bytes = new List<byte> { 1 };
        bytes.AddRange(AccuracyBytes);
        bytes.AddRange([0, 0, 0, 0]);
        bytes.AddRange(Varint(2048));
        bytes.AddRange(Enumerable.Repeat((byte)1, 2048));
        var into = new QuantileSketch();
        Assert.True(QuantileSketch.TryReadFrom(bytes.ToArray(), into));
        Assert.Equal(2048UL, into.Count);
    }

    [Fact]
    public void KeysOutsideTheIndexableRange_AreRefused()
    {
        // Positive store starting far above the largest index (≈ 35,000), and one whose last bin is.
        Assert.False(QuantileSketch.TryReadFrom(PositiveStore(firstKey: 1_000_000, [1]), new QuantileSketch()));
        Assert.False(QuantileSketch.TryReadFrom(PositiveStore(firstKey: -1_000_000, [1]), new QuantileSketch()));
        Assert.False(QuantileSketch.TryReadFrom(PositiveStore(firstKey: int.MaxValue, [1, 1]), new QuantileSketch()));
        Assert.True(QuantileSketch.TryReadFrom(PositiveStore(firstKey: 34_000, [1, 1]), new QuantileSketch()));
    }

    [Fact]
    public void ZeroEndBins_AreRefused()
    {
        Assert.False(QuantileSketch.TryReadFrom(PositiveStore(10, [0, 1]), new QuantileSketch()));
        Assert.False(QuantileSketch.TryReadFrom(PositiveStore(10, [1, 0]), new QuantileSketch()));
        Assert.True(QuantileSketch.TryReadFrom(PositiveStore(10, [1, 0, 1]), new QuantileSketch()));
    }

    [Fact]
    public void EmptyStoreWithAKey_IsRefused()
    {
        byte[] bytes = [1, .. AccuracyBytes, 0, 0, 0, 2, 0];
        Assert.False(QuantileSketch.TryReadFrom(bytes, new QuantileSketch()));
    }

    [Fact]
    public void OverlongVarints_AreRefused()
    {
        // An 11-byte varint zero count, a 10-byte one whose last byte carries more than bit 63, and
        // a padded (non-minimal) one: every sketch has exactly one encoding.
        byte[] eleven = [1, .. AccuracyBytes, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0, 0, 0, 0];
        byte[] tooBig = [1, .. AccuracyBytes, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02, 0, 0, 0, 0];
        byte[] max = [1, .. AccuracyBytes, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0, 0, 0, 0];
        Assert.False(QuantileSketch.TryReadFrom(eleven, new QuantileSketch()));
        Assert.False(QuantileSketch.TryReadFrom(tooBig, new QuantileSketch()));
        Assert.False(QuantileSketch.TryReadFrom([1, .. AccuracyBytes, 0x83, 0x00, 0, 0, 0, 0], new QuantileSketch()));
        Assert.True(QuantileSketch.TryReadFrom([1, .. AccuracyBytes, 0x03, 0, 0, 0, 0], new QuantileSketch()));

        var sketch = new QuantileSketch();
        Assert.True(QuantileSketch.TryReadFrom(max, sketch));
        Assert.Equal(ulong.MaxValue, sketch.Count);
    }

    [Fact]
    public void CountsSummingPastTwoToThe64_AreRefused()
    {
        Assert.False(QuantileSketch.TryReadFrom(PositiveStore(0, [ulong.MaxValue, 1]), new QuantileSketch()));

        var bytes = new List<byte> { 1 };
        bytes.AddRange(AccuracyBytes);
        bytes.AddRange(Varint(ulong.MaxValue)); // zero count
        bytes.AddRange([0, 0, 0, 1, 1]);         // positive: key 0, one bin of 1
        Assert.False(QuantileSketch.TryReadFrom(bytes.ToArray(), new QuantileSketch()));
    }

    [Fact]
    public void RandomCorruption_NeverThrows_AndAcceptedInputReadsBackCanonically()
    {
        var random = new Random(12);
        var valid = SketchData.Bytes(Make("mixed"));
        var into = new QuantileSketch();
        for (int i = 0; i < 20_000; i++)
        {
            byte[] input;
            if (i % 2 == 0)
            {
                input = (byte[])valid.Clone();
                for (int flips = random.Next(1, 4); flips > 0; flips--)
                {
                    input[random.Next(input.Length)] = (byte)random.Next(256);
                }
            }
            else
            {
                input = new byte[random.Next(0, 64)];
                random.NextBytes(input);
                if (input.Length > 9)
                {
                    input[0] = 1;
                    AccuracyBytes.CopyTo(input, 1);
                }
            }

            if (QuantileSketch.TryReadFrom(input, into))
            {
                Assert.True(input.AsSpan().SequenceEqual(SketchData.Bytes(into)), Convert.ToHexString(input) + " read back as " + Convert.ToHexString(SketchData.Bytes(into)));
            }
            else
            {
                Assert.True(into.IsEmpty);
            }
        }
    }

    [Fact]
    public void WriteTo_TooShortADestination_Throws()
    {
        var sketch = Make("mixed");
        var destination = new byte[sketch.GetSerializedLength() - 1];
        Assert.Throws<ArgumentException>(() => sketch.WriteTo(destination));
    }

    private static byte[] PositiveStore(int firstKey, ulong[] counts)
    {
        var bytes = new List<byte> { 1 };
        bytes.AddRange(AccuracyBytes);
        bytes.AddRange([0, 0, 0]); // zero count, empty negative store
        bytes.AddRange(Varint((uint)((firstKey << 1) ^ (firstKey >> 31))));
        bytes.AddRange(Varint((ulong)counts.Length));
        foreach (ulong count in counts)
        {
            bytes.AddRange(Varint(count));
        }

        return [.. bytes];
    }

    private static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        bytes.Add((byte)value);
        return [.. bytes];
    }
}
