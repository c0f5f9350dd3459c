using AnalyticsHub.Core.Rollups;
using AnalyticsHub.Core.Rollups.Internal;

namespace AnalyticsHub.Core.Tests.Rollups;

/// <summary>
/// Each kernel's Vector256, Vector128 and scalar paths give the same bits at every length (sums
/// of doubles included: one canonical order), and agree with a plain reference loop.
/// </summary>
public sealed class RollupKernelsTests
{
    public static TheoryData<int> Lengths() => new() { 0, 1, 3, 4, 7, 8, 15, 16, 17, 31, 32, 33, 1000, 1023, 1440 };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void VerticalDoubleKernels_AllPathsEqualTheReference(int length)
    {
        var random = new Random(length);
        var into = Doubles(random, length);
        var from = Doubles(random, length);

        Check<AddOperator<double>>(into, from, (x, y) => x + y);
        Check<MinOperator>(into, from, Math.Min);
        Check<MaxOperator>(into, from, Math.Max);

        static void Check<TOp>(double[] into, double[] from, Func<double, double, double> reference)
            where TOp : struct, IAggregateOperator<double>
        {
            var expected = into.Zip(from, reference).ToArray();
            var scalar = (double[])into.Clone();
            var v128 = (double[])into.Clone();
            var v256 = (double[])into.Clone();
            var dispatched = (double[])into.Clone();
            RollupKernels.CombineScalar<double, TOp>(scalar, from);
            RollupKernels.Combine128<double, TOp>(v128, from);
            RollupKernels.Combine256<double, TOp>(v256, from);
            RollupKernels.Combine<double, TOp>(dispatched, from);

            AssertSameBits(expected, scalar);
            AssertSameBits(expected, v128);
            AssertSameBits(expected, v256);
            AssertSameBits(expected, dispatched);
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void PublicVerticalKernels_EqualTheReference(int length)
    {
        var random = new Random(length + 1);
        var into = Doubles(random, length);
        var from = Doubles(random, length);

        var sum = (double[])into.Clone();
        var min = (double[])into.Clone();
        var max = (double[])into.Clone();
        RollupKernels.Add(sum, from);
        RollupKernels.Min(min, from);
        RollupKernels.Max(max, from);
        AssertSameBits(into.Zip(from, (x, y) => x + y).ToArray(), sum);
        AssertSameBits(into.Zip(from, Math.Min).ToArray(), min);
        AssertSameBits(into.Zip(from, Math.Max).ToArray(), max);

        var counts = Counts(random, length);
        var more = Counts(random, length);
        var paths = new[] { (ulong[])counts.Clone(), (ulong[])counts.Clone(), (ulong[])counts.Clone(), (ulong[])counts.Clone() };
        RollupKernels.Add(paths[0], more);
        RollupKernels.CombineScalar<ulong, AddOperator<ulong>>(paths[1], more);
        RollupKernels.Combine128<ulong, AddOperator<ulong>>(paths[2], more);
        RollupKernels.Combine256<ulong, AddOperator<ulong>>(paths[3], more);
        var expected = counts.Zip(more, (x, y) => unchecked(x + y)).ToArray();
        foreach (var path in paths)
        {
            Assert.Equal(expected, path);
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Reductions_AllPathsGiveTheSameBits(int length)
    {
        var random = new Random(length + 2);
        var values = Doubles(random, length);

        double sum = RollupKernels.ReduceScalar<double, AddOperator<double>>(values);
        AssertSameBits(sum, RollupKernels.Reduce128<double, AddOperator<double>>(values));
        AssertSameBits(sum, RollupKernels.Reduce256<double, AddOperator<double>>(values));
        AssertSameBits(sum, RollupKernels.Sum(values));

        double min = RollupKernels.ReduceScalar<double, MinOperator>(values);
        AssertSameBits(min, RollupKernels.Reduce128<double, MinOperator>(values));
        AssertSameBits(min, RollupKernels.Reduce256<double, MinOperator>(values));
        AssertSameBits(values.Aggregate(double.PositiveInfinity, Math.Min), RollupKernels.Min(values));

        double max = RollupKernels.ReduceScalar<double, MaxOperator>(values);
        AssertSameBits(max, RollupKernels.Reduce128<double, MaxOperator>(values));
        AssertSameBits(max, RollupKernels.Reduce256<double, MaxOperator>(values));
        AssertSameBits(values.Aggregate(double.NegativeInfinity, Math.Max), RollupKernels.Max(values));

        // Another order than plain left-to-right, but the same sum to rounding.
        double sequential = values.Aggregate(0.0, (x, y) => x + y);
        double scale = values.Sum(Math.Abs);
        Assert.True(Math.Abs(sum - sequential) <= 1e-13 * scale, $"{sum:R} vs {sequential:R}");

        var counts = Counts(random, length);
        ulong total = counts.Aggregate(0UL, (x, y) => unchecked(x + y));
        Assert.Equal(total, RollupKernels.Sum(counts));
        Assert.Equal(total, RollupKernels.ReduceScalar<ulong, AddOperator<ulong>>(counts));
        Assert.Equal(total, RollupKernels.Reduce128<ulong, AddOperator<ulong>>(counts));
        Assert.Equal(total, RollupKernels.Reduce256<ulong, AddOperator<ulong>>(counts));
    }

    [Fact]
    public void DoubleSum_IsTheDocumentedCanonicalOrder()
    {
        // Values whose sum depends on the order: a left-to-right sum would give another answer.
        var values = Doubles(new Random(37), 37);

        var lanes = values[..16];
        for (int i = 16; i < 32; i++)
        {
            lanes[i % 16] += values[i];
        }

        double[] c = new double[4];
        for (int j = 0; j < 4; j++)
        {
            c[j] = (lanes[j] + lanes[j + 8]) + (lanes[j + 4] + lanes[j + 12]);
        }

        double expected = (c[0] + c[2]) + (c[1] + c[3]);
        for (int i = 32; i < values.Length; i++)
        {
            expected += values[i];
        }

        AssertSameBits(expected, RollupKernels.Sum(values));
        Assert.NotEqual(expected, values.Aggregate(0.0, (x, y) => x + y)); // the test can tell orders apart
    }

    [Fact]
    public void ShortSums_AreLeftToRight_AndAddNoIdentity()
    {
        double[] values = [1e16, 1, -1e16, 1, 0.5];
        double expected = (((1e16 + 1) + -1e16) + 1) + 0.5;
        AssertSameBits(expected, RollupKernels.Sum(values));
        AssertSameBits(-0.0, RollupKernels.Sum([-0.0]));
        AssertSameBits(-0.0, RollupKernels.Sum([-0.0, -0.0]));

        var longer = Enumerable.Repeat(-0.0, 40).ToArray();
        AssertSameBits(-0.0, RollupKernels.Sum(longer));
        AssertSameBits(-0.0, RollupKernels.ReduceScalar<double, AddOperator<double>>(longer));
        AssertSameBits(-0.0, RollupKernels.Reduce128<double, AddOperator<double>>(longer));

        var windows = new double[2];
        RollupKernels.SumWindows([-0.0, -0.0, 1e16, 1, -1e16], 2, new double[3]);
        RollupKernels.SumWindows([-0.0, -0.0, 1e16, 1], 2, windows);
        AssertSameBits(-0.0, windows[0]);
        AssertSameBits(1e16 + 1, windows[1]);
    }

    [Fact]
    public void EmptyReductions_AreTheIdentities()
    {
        Assert.Equal(0, RollupKernels.Sum(ReadOnlySpan<double>.Empty));
        Assert.Equal(0UL, RollupKernels.Sum(ReadOnlySpan<ulong>.Empty));
        Assert.Equal(double.PositiveInfinity, RollupKernels.Min(ReadOnlySpan<double>.Empty));
        Assert.Equal(double.NegativeInfinity, RollupKernels.Max(ReadOnlySpan<double>.Empty));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(17)]
    [InlineData(40)]
    public void MinAndMax_MatchMathMinMax_ForNaNSignedZeroAndInfinity(int length)
    {
        double[] specials = [double.NaN, -0.0, 0.0, double.PositiveInfinity, double.NegativeInfinity, 1, -1];
        var random = new Random(length);
        for (int trial = 0; trial < 200; trial++)
        {
            var into = Enumerable.Range(0, length).Select(_ => specials[random.Next(specials.Length)]).ToArray();
            var from = Enumerable.Range(0, length).Select(_ => specials[random.Next(specials.Length)]).ToArray();

            var min = (double[])into.Clone();
            var max = (double[])into.Clone();
            RollupKernels.Min(min, from);
            RollupKernels.Max(max, from);
            AssertSameBits(into.Zip(from, Math.Min).ToArray(), min);
            AssertSameBits(into.Zip(from, Math.Max).ToArray(), max);

            AssertSameBits(into.Aggregate(double.PositiveInfinity, Math.Min), RollupKernels.Min(into));
            AssertSameBits(into.Aggregate(double.NegativeInfinity, Math.Max), RollupKernels.Max(into));
            AssertSameBits(RollupKernels.ReduceScalar<double, MinOperator>(into), RollupKernels.Reduce128<double, MinOperator>(into));
            AssertSameBits(RollupKernels.ReduceScalar<double, MaxOperator>(into), RollupKernels.Reduce256<double, MaxOperator>(into));
        }
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(1, 5)]
    [InlineData(1440, 5)]
    [InlineData(1440, 15)]
    [InlineData(1440, 60)]
    [InlineData(1441, 60)]
    [InlineData(1000, 7)]
    [InlineData(1000, 16)]
    [InlineData(1000, 17)]
    [InlineData(1000, 1)]
    [InlineData(1000, 1000)]
    [InlineData(1000, 5000)]
    public void Windows_AreTheReductionOfEachSlice_WithAPartialLastWindow(int length, int width)
    {
        var random = new Random(length + width);
        var values = Doubles(random, length);
        var counts = Counts(random, length);
        int windows = RollupKernels.WindowCount(length, width);
        Assert.Equal((length + width - 1) / width, windows);

        var sums = new double[windows];
        var mins = new double[windows];
        var maxes = new double[windows];
        var countSums = new ulong[windows];
        RollupKernels.SumWindows(values, width, sums);
        RollupKernels.MinWindows(values, width, mins);
        RollupKernels.MaxWindows(values, width, maxes);
        RollupKernels.SumWindows(counts, width, countSums);

        for (int w = 0; w < windows; w++)
        {
            int start = w * width;
            var slice = values.AsSpan(start, Math.Min(width, length - start));
            AssertSameBits(RollupKernels.ReduceScalar<double, AddOperator<double>>(slice), sums[w]);
            AssertSameBits(slice.ToArray().Min(), mins[w]);
            AssertSameBits(slice.ToArray().Max(), maxes[w]);
            Assert.Equal(counts.AsSpan(start, slice.Length).ToArray().Aggregate(0UL, (x, y) => unchecked(x + y)), countSums[w]);
        }
    }

    [Fact]
    public void Windows_OfEmptyBuckets_KeepTheInfiniteIdentities()
    {
        double[] mins = [double.PositiveInfinity, 3, double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity];
        var result = new double[2];
        RollupKernels.MinWindows(mins, 3, result);
        Assert.Equal([3, double.PositiveInfinity], result);
    }

    [Fact]
    public void MisSizedArguments_Throw()
    {
        Assert.Throws<ArgumentException>(() => RollupKernels.Add(new double[4], new double[5]));
        Assert.Throws<ArgumentException>(() => RollupKernels.Min(new double[5], new double[4]));
        Assert.Throws<ArgumentException>(() => RollupKernels.Add(new ulong[4], new ulong[3]));
        Assert.Throws<ArgumentException>(() => RollupKernels.SumWindows(new double[10], 5, new double[3]));
        Assert.Throws<ArgumentException>(() => RollupKernels.SumWindows(new double[10], 5, new double[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => RollupKernels.SumWindows(new double[10], 0, new double[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => RollupKernels.WindowCount(10, -1));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(1023)]
    public void Add_OfASpanToItself_DoublesIt(int length)
    {
        var counts = Counts(new Random(length), length).Select(c => c >> 1).ToArray();
        var doubled = (ulong[])counts.Clone();
        RollupKernels.Add(doubled, doubled);
        Assert.Equal(counts.Select(c => 2 * c).ToArray(), doubled);
    }

    /// <summary>Mixed signs over twenty decades, so a change of summation order shows in the low bits.</summary>
    private static double[] Doubles(Random random, int length) =>
        Enumerable.Range(0, length).Select(_ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-10, 10))).ToArray();

    private static ulong[] Counts(Random random, int length) =>
        Enumerable.Range(0, length).Select(_ => (ulong)random.NextInt64() * 3).ToArray();

    /// <summary>Bit for bit (so −0 ≠ +0), except that any NaN matches any NaN (payloads may differ by path).</summary>
    private static void AssertSameBits(double expected, double actual) =>
        Assert.True(SameBits(expected, actual), $"expected {expected:R}, got {actual:R}");

    private static bool SameBits(double expected, double actual) =>
        BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual) || (double.IsNaN(expected) && double.IsNaN(actual));

    private static void AssertSameBits(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(SameBits(expected[i], actual[i]), $"[{i}] expected {expected[i]:R}, got {actual[i]:R}");
        }
    }
}
