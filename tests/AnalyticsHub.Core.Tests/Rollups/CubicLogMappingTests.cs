using AnalyticsHub.Core.Rollups;
using AnalyticsHub.Core.Rollups.Internal;

namespace AnalyticsHub.Core.Tests.Rollups;

/// <summary>
/// The interpolated logarithm stands in for Math.Log: its bins must still keep every value within
/// 1 % of its bin's reported value, over the whole indexable range and right at bin edges.
/// </summary>
public sealed class CubicLogMappingTests
{
    [Fact]
    public void RandomMagnitudesOverTheWholeRange_AreWithinAccuracyOfTheirBinValue()
    {
        var random = new Random(11);
        double worst = 0;
        for (int i = 0; i < 1_000_000; i++)
        {
            // Uniform over the bit patterns: every exponent of the range, every mantissa.
            ulong bits = CubicLogMapping.MinIndexableBits
                + ((ulong)random.NextInt64() % (CubicLogMapping.MaxIndexableBitsExclusive - CubicLogMapping.MinIndexableBits));
            double x = BitConverter.UInt64BitsToDouble(bits);
            double value = CubicLogMapping.Value(CubicLogMapping.Index(x));
            double error = Math.Abs(value - x) / x;
            worst = Math.Max(worst, error);
            Assert.True(error <= QuantileSketch.RelativeAccuracy, $"x={x:R} value={value:R} error={error:R}");
        }

        // The bound is tight (not met with room to spare by an over-fine mapping).
        Assert.True(worst > 0.99 * QuantileSketch.RelativeAccuracy, $"worst {worst:R}");
    }

    [Fact]
    public void ValuesAtAndAroundEveryBinEdge_AreWithinAccuracyOfTheirBinValue()
    {
        for (int index = CubicLogMapping.MinIndex + 1; index <= CubicLogMapping.MaxIndex; index++)
        {
            double edge = CubicLogMapping.LowerBound(index);
            foreach (double x in (ReadOnlySpan<double>)[Math.BitDecrement(Math.BitDecrement(edge)), Math.BitDecrement(edge), edge, Math.BitIncrement(edge), Math.BitIncrement(Math.BitIncrement(edge))])
            {
                double value = CubicLogMapping.Value(CubicLogMapping.Index(x));
                double error = Math.Abs(value - x) / x;
                Assert.True(error <= QuantileSketch.RelativeAccuracy, $"index {index}: x={x:R} value={value:R} error={error:R}");
            }
        }
    }

    [Fact]
    public void LowerBound_IsWhereTheIndexChanges()
    {
        for (int index = CubicLogMapping.MinIndex + 1; index <= CubicLogMapping.MaxIndex; index += 7)
        {
            double edge = CubicLogMapping.LowerBound(index);
            Assert.Equal(index, CubicLogMapping.Index(edge * (1 + 1e-12)));
            Assert.Equal(index - 1, CubicLogMapping.Index(edge * (1 - 1e-12)));
        }
    }

    [Fact]
    public void Index_IsMonotone()
    {
        var random = new Random(5);
        var values = new double[200_000];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Math.Pow(2, (random.NextDouble() * 1990) - 995);
        }

        Array.Sort(values);
        for (int i = 1; i < values.Length; i++)
        {
            Assert.True(CubicLogMapping.Index(values[i - 1]) <= CubicLogMapping.Index(values[i]));
        }
    }

    [Fact]
    public void PowersOfTwo_StartABin_AndTheIndexesAreAsDocumented()
    {
        Assert.Equal(0, CubicLogMapping.Index(1.0));
        Assert.Equal(-1, CubicLogMapping.Index(Math.BitDecrement(1.0)));
        Assert.Equal(34, CubicLogMapping.Index(2.0)); // floor(35.0 × (1 − ~1e-4)): ≈ 35 bins per octave
        Assert.Equal(1.0, CubicLogMapping.LowerBound(0));
    }

    [Fact]
    public void BinsPerDecade_AreAboutOnePercentMoreThanTheExactLogarithm()
    {
        double gamma = (1 + QuantileSketch.RelativeAccuracy) / (1 - QuantileSketch.RelativeAccuracy);
        double exact = Math.Log(1e12) / Math.Log(gamma);
        double interpolated = CubicLogMapping.Index(1e6) - CubicLogMapping.Index(1e-6);
        double overhead = interpolated / exact;
        Assert.InRange(overhead, 1.0, 1.02);
    }

    [Fact]
    public void IndexableRange_IsTwoToTheMinusThousandToTwoToTheThousand()
    {
        Assert.Equal(Math.Pow(2, -1000), QuantileSketch.MinIndexableValue);
        Assert.Equal(Math.BitDecrement(Math.Pow(2, 1000)), QuantileSketch.MaxIndexableValue);
        Assert.True(double.IsFinite(CubicLogMapping.Value(CubicLogMapping.MaxIndex)));
        Assert.True(CubicLogMapping.Value(CubicLogMapping.MinIndex) > 0);
    }

    [Fact]
    public void Value_FromTable_EqualsComputedForEveryIndexableBin()
    {
        for (int index = CubicLogMapping.MinIndex; index <= CubicLogMapping.MaxIndex; index++)
        {
            Assert.Equal(CubicLogMapping.ComputeValue(index), CubicLogMapping.Value(index));
        }
    }
}
