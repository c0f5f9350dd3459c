using System.Runtime.CompilerServices;

namespace AnalyticsHub.Core.Rollups.Internal;

/// <summary>
/// The value ↔ bin index mapping every <see cref="QuantileSketch"/> shares: a logarithmic mapping
/// (DDSketch, Masson, Rim and Lee, VLDB 2019) whose logarithm is read from the double's bits
/// instead of calling <see cref="Math.Log(double)"/>.
/// </summary>
/// <remarks>
/// <para>
/// For <c>x = 2^e · (1 + s)</c> with <c>s</c> in [0, 1), <c>log2(x)</c> is approximated by
/// <c>L(x) = e + P(s)</c> with the cubic <c>P(s) = A·s³ + B·s² + C·s</c> (A = 6/35, B = −3/5,
/// C = 10/7, the coefficients of DDSketch's cubically interpolated mapping). <c>P(0) = 0</c> and
/// <c>P(1) = 1</c>, so <c>L</c> is continuous across powers of two, and <c>P' &gt; 0</c> on
/// [0, 1], so <c>L</c> is increasing. A value's bin is <c>floor(L(x) · Multiplier)</c>: bin
/// <c>i</c> holds <c>L</c> in [i/M, (i+1)/M).
/// </para>
/// <para>
/// Why the guarantee holds: per unit of <c>ln x</c>, <c>L</c> grows by
/// <c>dL/d(ln x) = P'(s)·(1 + s)</c>, whose minimum over [0, 1) is <c>C</c> (reached at s = 0 and
/// s = 2/3; the exact log2 grows by 1/ln 2 ≈ 1.4427). A bin spans 1/M in <c>L</c>, hence at most
/// <c>1/(M·C)</c> in <c>ln x</c>; with <c>M = 1/(C·ln γ)</c>, <c>γ = (1+α)/(1−α)</c>, every bin's
/// upper/lower bound ratio is at most γ. A bin's representative value is the harmonic mean of its
/// bounds, <c>2·lo·hi/(lo+hi)</c>, whose relative error to any x in [lo, hi] is at most
/// <c>(hi−lo)/(hi+lo) ≤ (γ−1)/(γ+1) = α</c>. The price against the exact logarithm is
/// <c>1/(C·ln 2)</c> ≈ 1.0% more bins.
/// </para>
/// <para>
/// α here is <see cref="QuantileSketch.RelativeAccuracy"/> less one part in a million, so that
/// rounding (about 1e-13 of a bin in the index, a few ulps in the inverse) can never push an
/// estimate past <see cref="QuantileSketch.RelativeAccuracy"/> itself.
/// </para>
/// <para>
/// Indexable magnitudes are [2^-1000, 2^1000) (about 9.3e-302 to 1.07e301): smaller ones count as
/// zero, larger ones (and NaN, ±∞) are refused. Keeping clear of subnormals and of the top
/// exponent lets <see cref="Index(ulong)"/> read the exponent field as is, and keeps the inverse finite.
/// </para>
/// </remarks>
internal static class CubicLogMapping
{
    internal const double A = 6.0 / 35.0;
    internal const double B = -3.0 / 5.0;
    internal const double C = 10.0 / 7.0;

    internal const ulong MantissaMask = 0x000F_FFFF_FFFF_FFFF;
    internal const ulong SignMask = 0x8000_0000_0000_0000;
    private const ulong OneBits = 0x3FF0_0000_0000_0000; // 1.0
    private const int ExponentBias = 1023;

    /// <summary>Bits of 2^-1000, the smallest magnitude given a bin.</summary>
    internal const ulong MinIndexableBits = (ulong)(ExponentBias - 1000) << 52;

    /// <summary>Bits of 2^1000, the first magnitude refused.</summary>
    internal const ulong MaxIndexableBitsExclusive = (ulong)(ExponentBias + 1000) << 52;

    /// <summary>The accuracy bins are sized for: a hair under the promised one (see remarks).</summary>
    internal static readonly double DesignAccuracy = QuantileSketch.RelativeAccuracy * (1 - 1e-6);

    /// <summary>Bins per unit of <c>L</c> (≈ 35.0 for α = 1%).</summary>
    internal static readonly double Multiplier = 1 / (C * Math.Log((1 + DesignAccuracy) / (1 - DesignAccuracy)));

    /// <summary>Bin of the smallest indexable magnitude.</summary>
    internal static readonly int MinIndex = Index(MinIndexableBits);

    /// <summary>Bin of the largest indexable magnitude.</summary>
    internal static readonly int MaxIndex = Index(MaxIndexableBitsExclusive - 1);

    /// <summary>Smallest magnitude that gets a bin: 2^-1000.</summary>
    internal static double MinIndexableValue => BitConverter.UInt64BitsToDouble(MinIndexableBits);

    /// <summary>Largest magnitude that gets a bin: the double just below 2^1000.</summary>
    internal static double MaxIndexableValue => BitConverter.UInt64BitsToDouble(MaxIndexableBitsExclusive - 1);

    /// <summary>True when the magnitude (sign bit clear) is in [2^-1000, 2^1000).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsIndexable(ulong magnitudeBits) =>
        magnitudeBits - MinIndexableBits < MaxIndexableBitsExclusive - MinIndexableBits;

    /// <summary>The bin of an indexable magnitude, given as its bits (sign bit clear).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Index(ulong magnitudeBits)
    {
        int exponent = (int)(magnitudeBits >> 52) - ExponentBias;
        double s = BitConverter.UInt64BitsToDouble((magnitudeBits & MantissaMask) | OneBits) - 1.0;
        double log2 = (((A * s) + B) * s + C) * s + exponent;
        return (int)Math.Floor(log2 * Multiplier);
    }

    /// <summary>The bin of an indexable magnitude.</summary>
    internal static int Index(double magnitude) => Index(BitConverter.DoubleToUInt64Bits(magnitude));

    /// <summary>The smallest magnitude of bin <paramref name="index"/> (to rounding).</summary>
    internal static double LowerBound(int index) => InverseLog2(index / Multiplier);

    /// <summary>
    /// The value reported for bin <paramref name="index"/>: the harmonic mean of its bounds, within
    /// <see cref="QuantileSketch.RelativeAccuracy"/> of every magnitude in the bin.
    /// </summary>
    internal static double Value(int index) =>
        (uint)(index - MinIndex) < (uint)ValueTable.Values.Length ? ValueTable.Values[index - MinIndex] : ComputeValue(index);

    internal static double ComputeValue(int index)
    {
        double lower = LowerBound(index);
        double upper = LowerBound(index + 1);
        return lower * (2 / (1 + (lower / upper))); // 2·lo·hi/(lo+hi) without overflowing lo·hi
    }

    /// <summary>
    /// Every indexable bin's value, computed once (about 69k bins, 550 KB, a few ms) on the first
    /// quantile: a query reads tens of thousands of quantiles, and the inverse mapping's Newton steps
    /// were most of each one's cost. A nested class so merely adding values never builds it.
    /// </summary>
    private static class ValueTable
    {
        public static readonly double[] Values = Build();

        private static double[] Build()
        {
            var values = new double[MaxIndex - MinIndex + 1];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = ComputeValue(MinIndex + i);
            }
            return values;
        }
    }

    private static double InverseLog2(double log2)
    {
        double exponent = Math.Floor(log2);
        double target = log2 - exponent; // P(s) = target, in [0, 1)

        // Newton from s = target: P is increasing on [0, 1] with P' ≥ 26/35 and |P''| ≤ 6/5, so
        // the error shrinks as e' ≤ 0.81·e²; it starts at most 0.087 (max of P(s) − s), hence
        // at most 6e-3, 3e-5, 8e-10, 5e-19 after four steps. Five leave a margin.
        double s = target;
        for (int i = 0; i < 5; i++)
        {
            double f = ((((A * s) + B) * s) + C) * s - target;
            double slope = (((3 * A * s) + (2 * B)) * s) + C;
            s -= f / slope;
        }

        return Math.ScaleB(1 + s, (int)exponent);
    }
}
